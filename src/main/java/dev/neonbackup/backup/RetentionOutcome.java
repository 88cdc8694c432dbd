package dev.neonbackup.backup;

import java.util.List;

/** What retention did: the archives it kept, and those it deleted (or would, in a dry run). */
public record RetentionOutcome(List<String> kept, List<String> deleted, boolean dryRun) {}
