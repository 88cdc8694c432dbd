package dev.neonbackup.cli;

import dev.neonbackup.failure.FailureException;

import dev.neonbackup.report.Redactor;
import dev.neonbackup.actions.Console;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;
import picocli.CommandLine.ParseResult;

/** Builds the command line: commands, the INPUT_* defaults, and the one error handler. */
public final class Cli {
  static final Set<String> SUBCOMMANDS = Set.of("backup", "list", "restore", "check", "help");
  /** The Actions input that chooses the subcommand when the arguments name none. */
  static final String COMMAND_INPUT = "command";
  private static final Set<String> ROOT_OPTIONS = Set.of("-h", "--help", "-V", "--version");

  private Cli() {}

  /**
   * The answer to a lone {@code --version} or {@code -V}, given without building the command line:
   * picocli's model of every command and option takes longer than the JVM's own start. Empty for
   * any other arguments.
   */
  public static Optional<String> versionOnly(String[] args) {
    return args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))
        ? Optional.of(new Version().getVersion()[0])
        : Optional.empty();
  }

  public static CommandLine create(
      Map<String, String> environment, PrintWriter out, PrintWriter err, Clock clock) {
    return create(context(environment, out, err, clock));
  }

  /**
   * The command line of this process: as {@link #create}, and SIGINT or SIGTERM then cleans up
   * what the run holds before the process ends with the signal's status (130 or 143).
   */
  public static CommandLine createForProcess(
      Map<String, String> environment, PrintWriter out, PrintWriter err, Clock clock) {
    RunContext context = context(environment, out, err, clock);
    // What a library or the JVM prints goes through the Console too: out and err are the
    // process's streams as they were, so nothing loops.
    java.io.PrintStream library = context.console().libraryStream();
    System.setOut(library);
    System.setErr(library);
    Cancellation.install(context.console(), context.environment());
    StaleFiles.sweep(context.console());
    return create(context);
  }

  private static RunContext context(
      Map<String, String> environment, PrintWriter out, PrintWriter err, Clock clock) {
    return new RunContext(
        environment,
        new Console(out, err, "true".equals(environment.get("GITHUB_ACTIONS")), clock),
        clock);
  }

  private static CommandLine create(RunContext context) {
    Map<String, String> environment = context.environment();
    CommandLine commandLine = new CommandLine(new RootCommand(), factory(context));
    // picocli's own words (usage, version, parse errors) are no more trusted than any other text.
    commandLine.setOut(context.console().resultWriter());
    commandLine.setErr(context.console().messageWriter());
    commandLine.setDefaultValueProvider(new InputEnvironment(environment));
    commandLine.setExecutionExceptionHandler(errorHandler(context));
    commandLine.setParameterExceptionHandler(usageErrorHandler(context));
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    commandLine.setExecutionStrategy(
        parseResult -> {
          running(context, lastCommand(parseResult).getCommandName());
          return new CommandLine.RunLast().execute(parseResult);
        });
    return commandLine;
  }

  /** With no subcommand, the program runs {@code backup}. */
  public static String[] withDefaultCommand(String[] args) {
    return withDefaultCommand(args, Map.of());
  }

  /**
   * With no subcommand in the arguments, the program runs the one the {@code command} input names
   * (so a workflow can restore from the same action), else {@code backup}.
   */
  public static String[] withDefaultCommand(String[] args, Map<String, String> environment) {
    if (args.length > 0 && (SUBCOMMANDS.contains(args[0]) || ROOT_OPTIONS.contains(args[0]))) {
      return args;
    }
    String command = new InputEnvironment(environment).get(COMMAND_INPUT);
    List<String> withCommand =
        new ArrayList<>(List.of(command == null ? "backup" : command.strip().toLowerCase(java.util.Locale.ROOT)));
    withCommand.addAll(List.of(args));
    return withCommand.toArray(new String[0]);
  }

  /** The subcommand that runs names the console's annotations ("Backup failed"). */
  private static void running(RunContext context, String command) {
    if (SUBCOMMANDS.contains(command)) {
      context.console().running(command);
    }
  }

  private static CommandLine lastCommand(ParseResult parseResult) {
    List<CommandLine> commands = parseResult.asCommandLineList();
    return commands.get(commands.size() - 1);
  }

  private static IFactory factory(RunContext context) {
    IFactory fallback = CommandLine.defaultFactory();
    return new IFactory() {
      @Override
      public <K> K create(Class<K> type) throws Exception {
        if (type == BackupCommand.class) {
          return type.cast(new BackupCommand(context));
        }
        if (type == ListCommand.class) {
          return type.cast(new ListCommand(context));
        }
        if (type == RestoreCommand.class) {
          return type.cast(new RestoreCommand(context));
        }
        if (type == CheckCommand.class) {
          return type.cast(new CheckCommand(context));
        }
        return fallback.create(type);
      }
    };
  }

  private static IExecutionExceptionHandler errorHandler(RunContext context) {
    return (Exception failure, CommandLine commandLine, ParseResult parseResult) -> {
      Console console = context.console();
      ExitCode code = exitCode(failure);
      console.error(errorLine(failure));
      if (wantsStackTrace(commandLine, context) || code == ExitCode.INTERNAL) {
        console.stackTrace(failure);
      }
      return code.status();
    };
  }

  /** The exit status of a run that failed with {@code failure}. */
  static ExitCode exitCode(Exception failure) {
    return failure instanceof FailureException
        ? ExitCode.of((FailureException) failure)
        : ExitCode.INTERNAL;
  }

  /** The one line that says why a run failed (before redaction). */
  static String errorLine(Exception failure) {
    return failure instanceof FailureException
        ? failure.getMessage()
        : "unexpected " + failure.getClass().getSimpleName() + ": " + failure.getMessage();
  }

  /**
   * Parse errors. A value our converters refused: its message alone, as if validation had refused it
   * later. picocli's own (an unknown option, a missing value): one redacted line and a pointer to
   * --help. Exit status 2 either way.
   */
  private static IParameterExceptionHandler usageErrorHandler(RunContext context) {
    return (ParameterException failure, String[] args) -> {
      running(context, failure.getCommandLine().getCommandName());
      if (failure.getCause() instanceof FailureException) {
        FailureException refused = (FailureException) failure.getCause();
        context.console().error(Redactor.redactConnectionStrings(refused.getMessage()));
        if (wantsStackTrace(failure.getCommandLine(), context)) {
          context.console().stackTrace(refused);
        }
        return ExitCode.of(refused).status();
      }
      context.console().error(Redactor.redactConnectionStrings(usageMessage(failure)));
      CommandLine failed = failure.getCommandLine();
      failed
          .getErr()
          .println("Run '" + failed.getCommandSpec().qualifiedName() + " --help' for the options.");
      return ExitCode.USAGE.status();
    };
  }

  /**
   * picocli's message, except for arguments it could not match: those it quotes in full, and the
   * value after a mistyped secret flag (--aws-secret-acces-key KEY) is one. Only option names are
   * shown then, with picocli's suggestion of the option meant.
   */
  static String usageMessage(ParameterException failure) {
    if (!(failure instanceof UnmatchedArgumentException)) {
      return failure.getMessage();
    }
    UnmatchedArgumentException unmatched = (UnmatchedArgumentException) failure;
    List<String> names =
        unmatched.getUnmatched().stream()
            .filter(argument -> argument.startsWith("-"))
            .map(argument -> argument.replaceFirst("=.*", "=..."))
            .toList();
    long values = unmatched.getUnmatched().size() - names.size();
    String hidden = values + (values == 1 ? " value" : " values") + " not shown, as a value may be a secret";
    StringBuilder message = new StringBuilder();
    if (names.isEmpty()) {
      message.append("unexpected argument (").append(hidden).append(')');
    } else {
      message.append("unknown option ").append(String.join(", ", names));
      if (values > 0) {
        message.append(" (").append(hidden).append(')');
      }
    }
    List<String> suggestions = unmatched.getSuggestions();
    if (!suggestions.isEmpty()) {
      message.append("; did you mean ")
          .append(String.join(" or ", suggestions.subList(0, Math.min(3, suggestions.size()))))
          .append('?');
    }
    return message.toString();
  }

  /** --stacktrace, or debug logging on in Actions (ACTIONS_STEP_DEBUG=true, or RUNNER_DEBUG=1). */
  private static boolean wantsStackTrace(CommandLine commandLine, RunContext context) {
    Object command = commandLine.getCommand();
    boolean flag =
        command instanceof CommonOptions.Carrier
            && ((CommonOptions.Carrier) command).common().stacktrace;
    Map<String, String> environment = context.environment();
    return flag
        || "true".equalsIgnoreCase(environment.get("ACTIONS_STEP_DEBUG"))
        || "1".equals(environment.get("RUNNER_DEBUG"));
  }
}
