package dev.neonbackup.cli;

import dev.neonbackup.backup.RetentionPolicy;
import dev.neonbackup.check.CheckLimits;
import dev.neonbackup.failure.Inputs;
import dev.neonbackup.neon.NeonInputs;
import dev.neonbackup.postgres.ArchiveVerifier;
import dev.neonbackup.postgres.Compression;
import dev.neonbackup.postgres.ConnectRetry;
import dev.neonbackup.postgres.PgDumpClient;
import dev.neonbackup.postgres.PgDumpOptions;
import dev.neonbackup.postgres.PgRestoreOptions;
import dev.neonbackup.report.Secret;
import dev.neonbackup.store.ChecksumMode;
import dev.neonbackup.store.StorageSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.ITypeConverter;

/**
 * From an input's text to its type, for picocli: the flag's value or the INPUT_* variable's. Blank
 * means unset (null); a bad value fails with an {@link dev.neonbackup.failure.InputException} whose
 * message names the input, which the usage-error handler prints as it is (exit status 2).
 */
final class Converters {
  private Converters() {}

  /** Null for a blank text, else the parse of the stripped text. */
  abstract static class Parsed<T> implements ITypeConverter<T> {
    private final Function<String, T> parse;

    Parsed(Function<String, T> parse) {
      this.parse = parse;
    }

    @Override
    public T convert(String text) {
      return Inputs.optional(text).map(parse).orElse(null);
    }
  }

  /** true or false, in any case. */
  abstract static class Bool extends Parsed<Boolean> {
    Bool(String input) {
      super(value -> Inputs.bool(value, input, false));
    }
  }

  static final class ForcePathStyle extends Bool {
    ForcePathStyle() {
      super("s3-force-path-style");
    }
  }

  static final class AllowPooled extends Bool {
    AllowPooled() {
      super("allow-pooled");
    }
  }

  static final class VerifyTls extends Bool {
    VerifyTls() {
      super("verify-tls");
    }
  }

  static final class IncludeRoles extends Bool {
    IncludeRoles() {
      super("include-roles");
    }
  }

  static final class RetentionDryRun extends Bool {
    RetentionDryRun() {
      super("retention-dry-run");
    }
  }

  static final class Json extends Bool {
    Json() {
      super("json");
    }
  }

  static final class IncludeHidden extends Bool {
    IncludeHidden() {
      super("include-hidden");
    }
  }

  static final class Clean extends Bool {
    Clean() {
      super("clean");
    }
  }

  static final class AllowSourceTarget extends Bool {
    AllowSourceTarget() {
      super("allow-source-target");
    }
  }

  static final class RestoreCheckBranch extends Bool {
    RestoreCheckBranch() {
      super("restore-check-branch");
    }
  }

  /** A whole number from a minimum to a maximum. */
  abstract static class Ranged extends Parsed<Integer> {
    Ranged(String input, int min, int max) {
      super(value -> Inputs.wholeNumber(value, input, min, max));
    }
  }

  static final class ConnectRetries extends Ranged {
    ConnectRetries() {
      super(ConnectRetry.INPUT, 0, 20);
    }
  }

  static final class ParallelDatabases extends Ranged {
    ParallelDatabases() {
      super("parallel-databases", 1, 4);
    }
  }

  static final class Jobs extends Ranged {
    Jobs() {
      super("jobs", 1, 999);
    }
  }

  /** A retention rule's count: a whole number of at least 1. */
  abstract static class Count extends Parsed<Integer> {
    Count(String input) {
      super(value -> RetentionPolicy.count(input, value).getAsInt());
    }
  }

  static final class KeepLast extends Count {
    KeepLast() {
      super(RetentionPolicy.KEEP_LAST);
    }
  }

  static final class KeepDays extends Count {
    KeepDays() {
      super(RetentionPolicy.KEEP_DAYS);
    }
  }

  static final class KeepDaily extends Count {
    KeepDaily() {
      super(RetentionPolicy.KEEP_DAILY);
    }
  }

  static final class KeepWeekly extends Count {
    KeepWeekly() {
      super(RetentionPolicy.KEEP_WEEKLY);
    }
  }

  static final class KeepMonthly extends Count {
    KeepMonthly() {
      super(RetentionPolicy.KEEP_MONTHLY);
    }
  }

  static final class Verify extends Parsed<ArchiveVerifier.Mode> {
    Verify() {
      super(ArchiveVerifier.Mode::parse);
    }
  }

  static final class Checksum extends Parsed<ChecksumMode> {
    Checksum() {
      super(ChecksumMode::parse);
    }
  }

  static final class CompressionLevel extends Parsed<Compression> {
    CompressionLevel() {
      super(Compression::parse);
    }
  }

  static final class PgDumpClientRule extends Parsed<PgDumpClient> {
    PgDumpClientRule() {
      super(PgDumpClient::parse);
    }
  }

  static final class MaxAge extends Parsed<Duration> {
    MaxAge() {
      super(CheckLimits::parseMaxAge);
    }
  }

  static final class TargetBranchTtl extends Parsed<Duration> {
    TargetBranchTtl() {
      super(text -> Inputs.duration(text, NeonInputs.TARGET_BRANCH_TTL, "7d or 12h"));
    }
  }

  static final class MaxShrink extends Parsed<Integer> {
    MaxShrink() {
      super(CheckLimits::parseMaxShrink);
    }
  }

  /** An http:// or https:// URL with a host. */
  static final class Endpoint extends Parsed<URI> {
    Endpoint() {
      super(StorageSettings::parseEndpoint);
    }
  }

  static final class Directory extends Parsed<Path> {
    Directory() {
      super(Path::of);
    }
  }

  /** Kept as a {@link Secret}, so that no toString can print it. */
  static final class SecretText extends Parsed<Secret> {
    SecretText() {
      super(Secret::of);
    }
  }

  /**
   * Extra arguments of a client program, split like a shell would and vetted. Blank is none: an
   * empty list rather than null, because picocli adds each converted list to the option's list.
   */
  abstract static class Arguments implements ITypeConverter<List<String>> {
    private final Function<String, List<String>> parse;

    Arguments(Function<String, List<String>> parse) {
      this.parse = parse;
    }

    @Override
    public List<String> convert(String text) {
      return Inputs.optional(text).map(parse).orElse(List.of());
    }
  }

  static final class PgDumpArguments extends Arguments {
    PgDumpArguments() {
      super(PgDumpOptions::parse);
    }
  }

  static final class PgRestoreArguments extends Arguments {
    PgRestoreArguments() {
      super(PgRestoreOptions::parse);
    }
  }
}
