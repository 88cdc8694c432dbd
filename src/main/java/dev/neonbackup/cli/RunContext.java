package dev.neonbackup.cli;

import dev.neonbackup.actions.Console;
import java.time.Clock;
import java.util.Map;

/** What every command gets from {@code main}: the environment, the console, the clock. */
public record RunContext(Map<String, String> environment, Console console, Clock clock) {}
