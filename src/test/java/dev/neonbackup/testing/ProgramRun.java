package dev.neonbackup.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs the packaged program the way the Actions runner runs the container's entrypoint: a fresh
 * process, inputs as INPUT_* variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY pointing at files.
 * Captures stdout and stderr; {@link Result#describe} shows both when an assertion fails.
 */
public final class ProgramRun {
  private final Map<String, String> environment = new LinkedHashMap<>();
  private final List<String> arguments = new ArrayList<>();
  private final List<String> jvmOptions = new ArrayList<>();
  private final Path workDir;
  private Duration timeout = Duration.ofMinutes(5);
  private Consumer<Process> whileRunning = process -> {};

  private ProgramRun(Path workDir) {
    this.workDir = workDir;
    environment.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    environment.put("HOME", System.getProperty("user.home"));
    environment.put("LANG", "C.UTF-8");
    environment.put("GITHUB_OUTPUT", workDir.resolve("github_output").toString());
    environment.put("GITHUB_STEP_SUMMARY", workDir.resolve("step_summary").toString());
  }

  public static ProgramRun inTempDir() {
    try {
      return new ProgramRun(Files.createTempDirectory("program-run-"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sets INPUT_<NAME> for an action input, e.g. input("database-url", url). */
  public ProgramRun input(String name, String value) {
    environment.put("INPUT_" + name.toUpperCase(java.util.Locale.ROOT), value);
    return this;
  }

  public ProgramRun env(String name, String value) {
    environment.put(name, value);
    return this;
  }

  /** An option for the program's JVM, e.g. -Djava.io.tmpdir=... */
  public ProgramRun jvmOption(String option) {
    jvmOptions.add(option);
    return this;
  }

  /** The directory the program runs in; its GITHUB_OUTPUT and step summary live there. */
  public Path workDir() {
    return workDir;
  }

  public ProgramRun args(String... more) {
    arguments.addAll(List.of(more));
    return this;
  }

  public ProgramRun timeout(Duration limit) {
    this.timeout = limit;
    return this;
  }

  /** Something to do with the running process (e.g. kill its pg_dump) on another thread. */
  public ProgramRun whileRunning(Consumer<Process> action) {
    this.whileRunning = action;
    return this;
  }

  /** The storage inputs for an {@link S3Server}, with path-style addressing. */
  public ProgramRun storage(S3Server s3, String bucket) {
    return input("s3-bucket", bucket)
        .input("s3-endpoint", s3.endpoint().toString())
        .input("s3-force-path-style", "true")
        .input("aws-region", s3.region())
        .input("aws-access-key-id", s3.accessKeyId())
        .input("aws-secret-access-key", s3.secretAccessKey());
  }

  /** The S3 inputs for {@code bucket} on S3Mock, reached at {@code endpoint} (itself or a proxy). */
  public ProgramRun storage(S3MockServer s3, java.net.URI endpoint, String bucket) {
    return input("s3-bucket", bucket)
        .input("s3-endpoint", endpoint.toString())
        .input("s3-force-path-style", "true")
        .input("aws-region", s3.region())
        .input("aws-access-key-id", s3.accessKeyId())
        .input("aws-secret-access-key", s3.secretAccessKey());
  }

  /**
   * Starts the program and returns at once, for a test that signals it. SIGINT is set to its
   * default first (through perl's exec): a program started from a background shell inherits it
   * ignored, the container's first process does not.
   */
  public RunningProgram start() {
    List<String> command = new ArrayList<>(List.of("perl", "-e", "$SIG{INT} = 'DEFAULT'; exec { $ARGV[0] } @ARGV or die \"exec: $!\";"));
    command.addAll(command());
    try {
      return new RunningProgram(builder(command).start(), workDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Runs the program, then fails if any of {@code secrets} appears anywhere it wrote (stdout,
   * stderr, outputs, step summary), except in its {@code ::add-mask::} lines.
   */
  public Result runRevealingNone(String... secrets) {
    Result result = run();
    String output = result.outputExceptMasks();
    for (String secret : secrets) {
      if (output.contains(secret)) {
        throw new AssertionError("a secret leaked\n" + result.describe());
      }
    }
    return result;
  }

  private List<String> command() {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(arguments);
    return command;
  }

  private ProcessBuilder builder(List<String> command) {
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
    builder.environment().clear();
    builder.environment().putAll(environment);
    return builder;
  }

  public Result run() {
    ProcessBuilder builder = builder(command());
    ExecutorService threads = Executors.newCachedThreadPool();
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      CompletableFuture<String> out = readAll(process.getInputStream(), threads);
      CompletableFuture<String> err = readAll(process.getErrorStream(), threads);
      CompletableFuture<Void> action =
          CompletableFuture.runAsync(() -> whileRunning.accept(process), threads);
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new AssertionError("the program did not finish within " + timeout);
      }
      action.join();
      return new Result(process.exitValue(), out.join(), err.join(), workDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } finally {
      threads.shutdownNow();
    }
  }

  private static CompletableFuture<String> readAll(InputStream stream, ExecutorService threads) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        },
        threads);
  }

  private static Path jar() {
    Path jar = Path.of(System.getProperty("neonbackup.jar", "target/neon-backup-action.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: integration tests run after `package`");
    }
    return jar;
  }

  /** What a run printed and wrote. */
  public record Result(int exitCode, String stdout, String stderr, Path workDir) {
    /** Both streams for an assertion message, the {@code ::add-mask::} values hidden. */
    public String describe() {
      return "exit "
          + exitCode
          + "\n--- stdout ---\n"
          + hideMasks(stdout)
          + "\n--- stderr ---\n"
          + hideMasks(stderr);
    }

    /** The text with the value of every {@code ::add-mask::} line replaced: test output stays clean. */
    public static String hideMasks(String text) {
      return text.replaceAll("(?m)^::add-mask::.*$", "::add-mask::***");
    }

    /**
     * Everything the run printed or wrote, except the {@code ::add-mask::} lines: the one place a
     * secret may appear, so the runner can hide it.
     */
    public String outputExceptMasks() {
      return allOutput()
          .lines()
          .filter(line -> !line.startsWith("::add-mask::"))
          .collect(java.util.stream.Collectors.joining("\n"));
    }

    public String allOutput() {
      return stdout + "\n" + stderr + "\n" + read("github_output") + "\n" + read("step_summary");
    }

    /** The step outputs the program appended to GITHUB_OUTPUT (single-line form). */
    public Map<String, String> outputs() {
      Map<String, String> outputs = new LinkedHashMap<>();
      for (String line : read("github_output").split("\n")) {
        int equals = line.indexOf('=');
        if (equals > 0) {
          outputs.put(line.substring(0, equals), line.substring(equals + 1));
        }
      }
      return outputs;
    }

    public String stepSummary() {
      return read("step_summary");
    }

    /**
     * The run's errors, each as its plain line reads ({@code error: <message>}): the lines of stderr
     * that start with "error: ", or, under Actions, where an error is only its annotation, the
     * message of each {@code ::error title=...::} line on stdout, unescaped.
     */
    public List<String> errorLines() {
      List<String> plain = stderr.lines().filter(l -> l.startsWith("error: ")).toList();
      return plain.isEmpty() ? annotated("error").map(message -> "error: " + message).toList() : plain;
    }

    /** The run's warnings, their words only: from the plain lines on stderr, or the annotations. */
    public List<String> warnings() {
      List<String> plain =
          stderr.lines()
              .filter(l -> l.matches("\\d\\d:\\d\\d:\\d\\d warning: .*"))
              .map(l -> l.substring("00:00:00 warning: ".length()))
              .toList();
      return plain.isEmpty() ? annotated("warning").toList() : plain;
    }

    /**
     * The plain error and warning lines on stderr ({@code error: ...}, {@code HH:MM:SS warning:
     * ...}), which under Actions must be none: there each is its annotation alone.
     */
    public List<String> plainErrorsAndWarnings() {
      return stderr.lines()
          .filter(l -> l.startsWith("error: ") || l.matches("\\d\\d:\\d\\d:\\d\\d warning: .*"))
          .toList();
    }

    /** The annotations on stdout, {@code ::error title=...::...} and {@code ::warning ...}, as printed. */
    public List<String> annotations() {
      return stdout.lines().filter(l -> l.startsWith("::error ") || l.startsWith("::warning ")).toList();
    }

    private java.util.stream.Stream<String> annotated(String level) {
      String start = "::" + level + " title=";
      return annotations().stream()
          .filter(l -> l.startsWith(start) && l.indexOf("::", start.length()) > 0)
          .map(l -> l.substring(l.indexOf("::", start.length()) + 2))
          .map(data -> data.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%"));
    }

    private String read(String name) {
      Path file = workDir.resolve(name);
      try {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
