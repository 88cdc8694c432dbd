package dev.neonbackup.backup;

import dev.neonbackup.catalog.BackupCatalog;
import dev.neonbackup.catalog.BackupKey;
import dev.neonbackup.catalog.Manifest;
import dev.neonbackup.report.Units;

import dev.neonbackup.failure.FailureKind;
import dev.neonbackup.failure.FailureException;
import dev.neonbackup.cli.Version;
import dev.neonbackup.actions.Console;
import dev.neonbackup.postgres.ArchiveVerifier;
import dev.neonbackup.postgres.ConnectionString;
import dev.neonbackup.postgres.DatabaseSelection;
import dev.neonbackup.postgres.NeonRules;
import dev.neonbackup.postgres.Psql;
import dev.neonbackup.postgres.RolesDump;
import dev.neonbackup.postgres.PgClients;
import dev.neonbackup.postgres.PgInstallation;
import dev.neonbackup.postgres.ServerInfo;
import dev.neonbackup.postgres.ServerProbe;
import dev.neonbackup.store.ObjectLocation;
import dev.neonbackup.store.s3.PartSizes;
import dev.neonbackup.store.s3.StorageErrors;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * One backup: probe the server, pick pg_dump, stream its archive into a multipart upload while a
 * pg_restore verifies the same bytes, and publish it only when pg_dump exited 0, the verifier
 * passed and every byte is stored; then write the manifest beside it. Any failure on either side
 * stops the other: pg_dump is killed, the upload aborted, nothing appears at the key.
 */
public final class BackupService {
  /** The key under which a run's outcome holds a failure to store the roles. */
  public static final String ROLES = "(roles)";

  private final Console console;
  private final Clock clock;
  private final S3Client s3;
  private final Path clientRoot;
  private final PartSizes partSizes;
  private final Duration progressInterval;
  private final UnaryOperator<OutputStream> verifierTap;

  public BackupService(
      Console console,
      Clock clock,
      S3Client s3,
      Path clientRoot,
      PartSizes partSizes,
      Duration progressInterval) {
    this(console, clock, s3, clientRoot, partSizes, progressInterval, UnaryOperator.identity());
  }

  /** {@code verifierTap} wraps the verifier's input: tests use it to damage what it sees. */
  BackupService(
      Console console,
      Clock clock,
      S3Client s3,
      Path clientRoot,
      PartSizes partSizes,
      Duration progressInterval,
      UnaryOperator<OutputStream> verifierTap) {
    this.console = console;
    this.clock = clock;
    this.s3 = s3;
    this.clientRoot = clientRoot;
    this.partSizes = partSizes;
    this.progressInterval = progressInterval;
    this.verifierTap = verifierTap;
  }

  /** Backs up the one database a run selects; throws if it failed. */
  public BackupResult run(BackupSettings settings) {
    RunOutcome outcome = runAll(settings);
    if (!outcome.failures().isEmpty()) {
      throw outcome.failures().values().iterator().next();
    }
    return outcome.results().get(0);
  }

  /**
   * Backs up every selected database, each into its own archive under the same run timestamp.
   * A database that fails does not stop the others; the outcome holds both.
   */
  public RunOutcome runAll(BackupSettings settings) {
    NeonRules.Adjusted adjusted =
        NeonRules.apply(settings.database(), settings.reach().allowPooled());
    adjusted.warnings().forEach(console::warn);
    adjusted.notes().forEach(console::info);
    ConnectionString connection = adjusted.connection();
    List<PgInstallation> installed = PgClients.discover(settings.pgBinDir(), clientRoot);
    if (installed.isEmpty()) {
      throw new FailureException(
          FailureKind.DATABASE,
          "no pg_dump found under "
              + clientRoot
              + "/*/bin: install postgresql-client-NN, or set pg-bin-dir");
    }
    PgInstallation newest = installed.get(installed.size() - 1);
    console.info("connecting to " + connection.redacted());
    ServerInfo server =
        ServerProbe.probe(
            newest,
            connection,
            BackupSettings.DATABASE_URL,
            console.redactor(),
            settings.reach().connectRetries(),
            console::warn,
            ServerProbe.SLEEP);
    PgInstallation client = chooseClient(installed, server);
    String pgDumpVersion =
        PgClients.versionOf(client.tool("pg_dump")).orElse(String.valueOf(client.major()));
    settings.compression().ifPresent(c -> c.checkSupportedBy(client.major()));
    DatabaseSelection selection = settings.reach().selection();
    List<String> databases =
        selection.resolve(
            settings.databaseName(),
            selection.all()
                ? Psql.query(
                    newest,
                    connection,
                    BackupSettings.DATABASE_URL,
                    console.redactor(),
                    DatabaseSelection.ALL_QUERY,
                    FailureKind.DATABASE)
                : List.of());
    if (databases.size() > 1) {
      console.info("backing up " + databases.size() + " databases: " + String.join(", ", databases));
    }
    Instant runStamp = clock.instant();
    Dump dump = new Dump(settings, client, pgDumpVersion, server, runStamp, databases.size() == 1);
    Map<String, BackupResult> results = new ConcurrentHashMap<>();
    Map<String, FailureException> failures = new ConcurrentHashMap<>();
    forEachDatabase(
        databases,
        settings.reach().parallelDatabases(),
        database -> {
          try {
            results.put(database, backupOne(dump, database, connection.withDatabase(database)));
          } catch (AfterPublishException e) {
            results.put(database, e.stored());
            failures.put(database, e);
          } catch (FailureException e) {
            failures.put(database, e);
            if (databases.size() > 1) {
              console.error("database '" + database + "': " + e.getMessage());
            }
          } catch (RuntimeException e) {
            FailureException failure =
                new FailureException(
                    FailureKind.INTERNAL,
                    "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage(),
                    e);
            failures.put(database, failure);
            console.error("database '" + database + "': " + failure.getMessage());
          }
        });
    Optional<ObjectLocation> roles = Optional.empty();
    if (settings.reach().includeRoles()) {
      try {
        roles = Optional.of(storeRoles(settings, client, connection, runStamp));
      } catch (FailureException e) {
        failures.put(
            ROLES,
            new FailureException(
                FailureKind.AFTER_PUBLISH, "storing the roles failed: " + e.getMessage(), e));
      }
    }
    return new RunOutcome(
        List.copyOf(orderedMap(databases, results).values()),
        java.util.Collections.unmodifiableMap(orderedMap(databases, failures)),
        roles);
  }

  /** Everything every database of one run shares. */
  private record Dump(
      BackupSettings settings,
      PgInstallation client,
      String pgDumpVersion,
      ServerInfo server,
      Instant runStamp,
      boolean alone) {}

  /** What a run did: results and failures in the order of the databases, and the roles file. */
  public record RunOutcome(
      List<BackupResult> results,
      Map<String, FailureException> failures,
      Optional<ObjectLocation> roles) {}

  private static <T> java.util.LinkedHashMap<String, T> orderedMap(
      List<String> order, Map<String, T> values) {
    java.util.LinkedHashMap<String, T> result = new java.util.LinkedHashMap<>();
    order.forEach(key -> Optional.ofNullable(values.get(key)).ifPresent(v -> result.put(key, v)));
    values.forEach(result::putIfAbsent);
    return result;
  }


  private static void forEachDatabase(
      List<String> databases, int parallel, java.util.function.Consumer<String> action) {
    if (parallel <= 1 || databases.size() <= 1) {
      databases.forEach(action);
      return;
    }
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(Math.min(parallel, databases.size()));
    try {
      List<java.util.concurrent.Future<?>> running = new java.util.ArrayList<>();
      databases.forEach(database -> running.add(pool.submit(() -> action.accept(database))));
      for (java.util.concurrent.Future<?> future : running) {
        future.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FailureException(FailureKind.INTERNAL, "interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new FailureException(FailureKind.INTERNAL, "a database backup crashed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private ObjectLocation storeRoles(
      BackupSettings settings, PgInstallation client, ConnectionString connection, Instant stamp) {
    String script =
        RolesDump.dump(
            client, connection, BackupSettings.DATABASE_URL, console.redactor(), console::detail);
    // Like archive keys: the run's own second, or the next free one if another run took it.
    ObjectLocation location = null;
    for (int attempt = 0; location == null; attempt++) {
      ObjectLocation candidate =
          new ObjectLocation(
              settings.storage().bucket(),
              settings.storage().prefix()
                  + "_roles/roles-"
                  + BackupKey.stamp(stamp.plusSeconds(attempt))
                  + ".sql");
      try {
        s3.putObject(
            PutObjectRequest.builder()
                .bucket(candidate.bucket())
                .key(candidate.key())
                .contentType("application/sql")
                .ifNoneMatch("*")
                .build(),
            RequestBody.fromString(script));
        location = candidate;
      } catch (S3Exception e) {
        if (e.statusCode() != 412 || attempt >= 59) {
          throw StorageErrors.explain("store the roles at " + candidate.url(), candidate.bucket(), e);
        }
      } catch (SdkException e) {
        throw StorageErrors.explain("store the roles at " + candidate.url(), candidate.bucket(), e);
      }
    }
    console.info("stored the roles at " + location.url());
    return location;
  }

  private BackupResult backupOne(Dump dump, String database, ConnectionString connection) {
    BackupSettings settings = dump.settings();
    Instant started = clock.instant();
    long startNanos = System.nanoTime();
    KeyClaim.Claimed claim =
        KeyClaim.open(
            s3,
            settings.storage().bucket(),
            new BackupKey(settings.storage().prefix(), database, dump.runStamp()),
            partSizes,
            settings.storage().checksumsEnabled());
    ObjectLocation location = new ObjectLocation(settings.storage().bucket(), claim.key().key());
    console.info(
        "dumping database '"
            + database
            + "' (PostgreSQL "
            + dump.server().version()
            + ") with pg_dump "
            + dump.pgDumpVersion()
            + " to "
            + location.url()
            + ", verify: "
            + settings.verify().inputValue());
    DumpPipeline.Archive archive =
        new DumpPipeline(console, progressInterval, verifierTap)
            .run(
                settings,
                dump.client(),
                connection,
                claim.upload(),
                location,
                dump.alone() ? null : database);
    Manifest manifest =
        Manifest.builder()
            .manifestVersion(Manifest.CURRENT_VERSION)
            .toolVersion(Version.current())
            .database(database)
            .objectKey(location.key())
            .serverVersion(dump.server().version())
            .pgDumpVersion(dump.pgDumpVersion())
            .compression(settings.compression().map(c -> c.value()).orElse("default"))
            .startedAt(started)
            .finishedAt(clock.instant())
            .sizeBytes(archive.size())
            .sha256(archive.sha256())
            .verification(settings.verify().inputValue())
            .verificationResult(
                settings.verify() == ArchiveVerifier.Mode.NONE ? "skipped" : "passed")
            .build();
    ObjectLocation manifestLocation = location.withKey(claim.key().manifestKey());
    BackupResult stored =
        new BackupResult(
            database,
            location,
            manifestLocation,
            archive.size(),
            archive.sha256(),
            started,
            Duration.ofNanos(System.nanoTime() - startNanos),
            dump.pgDumpVersion(),
            dump.server().version(),
            manifest.verification() + ": " + manifest.verificationResult(),
            Optional.empty());
    BackupResult result;
    try {
      writeManifest(manifestLocation, manifest);
      Optional<RetentionOutcome> retention = applyRetention(settings, claim.key());
      result =
          stored.withRetention(retention, Duration.ofNanos(System.nanoTime() - startNanos));
    } catch (FailureException e) {
      throw new AfterPublishException(stored, e);
    }
    console.info(
        "stored "
            + location.url()
            + ": "
            + Units.bytes(result.sizeBytes())
            + ", sha256 "
            + result.sha256()
            + ", "
            + Units.seconds(result.durationSeconds())
            + " s, "
            + Units.rate(result.sizeBytes(), result.durationSeconds())
            + ", verification "
            + result.verification());
    return result;
  }

  private Optional<RetentionOutcome> applyRetention(BackupSettings settings, BackupKey stored) {
    if (settings.retention().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        RetentionRun.apply(
            s3,
            console,
            settings.retention(),
            settings.retentionDryRun(),
            settings.storage().bucket(),
            stored,
            clock.instant()));
  }

  private PgInstallation chooseClient(List<PgInstallation> installed, ServerInfo server) {
    PgClients.Choice choice = PgClients.pick(installed, server.major());
    if (choice.newer()) {
      console.warn(
          "no pg_dump "
              + server.major()
              + " is installed; using pg_dump "
              + choice.installation().major()
              + ". Restoring this archive needs pg_restore "
              + choice.installation().major()
              + " or newer.");
    }
    return choice.installation();
  }

  private void writeManifest(ObjectLocation location, Manifest manifest) {
    try {
      s3.putObject(
          PutObjectRequest.builder()
              .bucket(location.bucket())
              .key(location.key())
              .contentType("application/json")
              .ifNoneMatch("*")
              .build(),
          RequestBody.fromString(manifest.toJson()));
    } catch (S3Exception e) {
      if (e.statusCode() == 412
          && BackupCatalog.readManifest(s3, location.bucket(), location.key())
              .filter(manifest::equals)
              .isPresent()) {
        return; // an earlier attempt stored it and its answer was lost; the SDK retried
      }
      throw StorageErrors.explain("write its manifest " + location.url(), location.bucket(), e);
    } catch (SdkException e) {
      throw StorageErrors.explain("write its manifest " + location.url(), location.bucket(), e);
    }
  }
}
