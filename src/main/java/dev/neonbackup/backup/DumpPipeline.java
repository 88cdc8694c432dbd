package dev.neonbackup.backup;

import dev.neonbackup.crypto.AgeEncryptingStream;
import dev.neonbackup.crypto.AgeRecipients;
import dev.neonbackup.postgres.DigestingOutputStream;

import dev.neonbackup.failure.FailureKind;
import dev.neonbackup.failure.FailureException;
import dev.neonbackup.report.ProgressLine;
import dev.neonbackup.report.ProgressTicker;
import dev.neonbackup.report.Reporter;
import dev.neonbackup.shutdown.ShutdownPath;
import dev.neonbackup.postgres.ArchiveVerifier;
import dev.neonbackup.postgres.ClientProcess;
import dev.neonbackup.postgres.ConnectionString;
import dev.neonbackup.postgres.CountingRelay;
import dev.neonbackup.postgres.PgDumpArguments;
import dev.neonbackup.postgres.PgInstallation;
import dev.neonbackup.postgres.ServiceFile;
import dev.neonbackup.failure.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * One archive's way from pg_dump to S3: pg_dump's stdout, through a SHA-256 and byte counter, into
 * the multipart upload and (teed) into a verifying pg_restore. With age recipients, the upload's
 * side is encrypted on the way and hashed again after it: the verifier reads the plaintext, the
 * stored object is the ciphertext. It completes the upload only when pg_dump exited 0, the output
 * is a custom-format archive and the verifier passed; on any other path the resources close in
 * reverse order: pg_dump killed, pg_restore killed, upload aborted.
 */
final class DumpPipeline {
  private static final int COPY_BUFFER = 256 * 1024;
  /** pg_dump's words when its first connection failed (refused, rejected), not a lost one. */
  private static final Pattern NEVER_CONNECTED =
      Pattern.compile("pg_dump: error: connection to server (at|on) .* failed: ");

  private final Reporter reporter;
  private final Duration progressInterval;
  private final UnaryOperator<OutputStream> verifierTap;

  DumpPipeline(Reporter reporter, Duration progressInterval, UnaryOperator<OutputStream> verifierTap) {
    this.reporter = reporter;
    this.progressInterval = progressInterval;
    this.verifierTap = verifierTap;
  }

  /**
   * What was stored: its size and SHA-256; those of pg_dump's archive, the same unless encrypted;
   * the bytes the server sent pg_dump (unknown without a TCP server to relay); and the publishing
   * section the caller closes once the manifest is written (a signal waits).
   */
  record Archive(
      long size,
      String sha256,
      long plaintextSize,
      String plaintextSha256,
      OptionalLong receivedBytes,
      EarlierBackups.Read earlier,
      ShutdownPath.Section publishing) {}

  /** {@code label} prefixes pg_dump's lines when several databases share the log; null when alone. */
  Archive run(
      BackupSettings settings,
      PgInstallation client,
      ConnectionString target,
      ClaimedUpload upload,
      String label,
      EarlierBackups.Pending earlier) {
    List<String> arguments = PgDumpArguments.of(settings.compression(), settings.pgDumpOptions());
    java.util.function.Consumer<String> detail = detailLines(label);
    try (upload;
        CountingRelay relay = CountingRelay.startFor(target).orElse(null);
        ServiceFile connection =
            ServiceFile.write(relay == null ? target : relay.route(target), client.major());
        ArchiveVerifier verifier = startVerifier(settings.verify(), client);
        ClientProcess pgDump =
            ClientProcess.start(
                client, "pg_dump", arguments, connection, pgDumpLines(relay), detail)) {
      Streams streams = streams(settings, upload, verifier);
      DigestingOutputStream archive = streams.archive();
      pgDump.stdin().close();
      ProgressTicker progress =
          ProgressTicker.start(
              reporter, archive::count, progressInterval, labelled(earlier::progressLine, label));
      try {
        copy(pgDump, archive);
      } finally {
        progress.close();
      }
      checkDumped(pgDump, archive, relay);
      OptionalLong received = receivedBy(relay);
      streams.finish(verifier);
      EarlierBackups.Read earlierBackups = earlier.awaitBeforePublishing();
      ShutdownPath.Section publishing = ShutdownPath.process().publish(upload.location().url());
      try {
        upload.complete();
      } catch (IOException | RuntimeException e) {
        publishing.close();
        throw e;
      }
      DigestingOutputStream stored = streams.stored();
      return new Archive(
          stored.count(), stored.sha256Hex(), archive.count(), archive.sha256Hex(), received,
          earlierBackups, publishing);
    } catch (IOException e) {
      throw new StorageException(
          "the upload to " + upload.location().url() + " failed: " + e.getMessage(), e);
    } catch (FailureException e) {
      if (e.kind() == FailureKind.VERIFY) {
        throw new FailureException(FailureKind.VERIFY, e.getMessage() + "; nothing was stored", e);
      }
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FailureException(FailureKind.INTERNAL, "interrupted", e);
    } finally {
      if (label == null) {
        reporter.endGroup();
      }
    }
  }

  private static Supplier<ProgressLine> labelled(Supplier<ProgressLine> line, String label) {
    return label == null ? line : () -> line.get().labelled(label);
  }

  /** pg_dump's lines, prefixed with the database when several share the log, else in a group. */
  private java.util.function.Consumer<String> detailLines(String label) {
    if (label == null) {
      reporter.group("pg_dump --verbose");
      return reporter::detail;
    }
    return line -> reporter.detail("[" + label + "] " + line);
  }

  /** pg_dump's stderr, redacted, and naming the server where libpq names the relay. */
  private UnaryOperator<String> pgDumpLines(CountingRelay relay) {
    UnaryOperator<String> redact = reporter.redactor()::redact;
    return relay == null ? redact : line -> relay.unroute(redact.apply(line));
  }

  /** What the server sent pg_dump, once it has exited; unknown without a relay. */
  private static OptionalLong receivedBy(CountingRelay relay) throws InterruptedException {
    return relay == null ? OptionalLong.empty() : OptionalLong.of(relay.finish());
  }

  /**
   * The streams pg_dump's output goes through: {@code archive} hashes pg_dump's bytes and feeds
   * the verifier and the store's side; with age recipients, {@code encrypting} encrypts that side
   * and {@code encrypted} hashes what reaches the upload (both null otherwise).
   */
  private record Streams(
      DigestingOutputStream archive, AgeEncryptingStream encrypting, DigestingOutputStream encrypted) {
    /** What the upload receives, hashed: pg_dump's archive, or its encryption. */
    DigestingOutputStream stored() {
      return encrypting == null ? archive : encrypted;
    }

    /** The verifier's verdict first: a failed archive is never finished as an age file. */
    void finish(ArchiveVerifier verifier) throws IOException {
      if (verifier != null) {
        verifier.finish();
      }
      if (encrypting != null) {
        encrypting.finish();
      }
    }
  }

  private Streams streams(BackupSettings settings, OutputStream upload, ArchiveVerifier verifier)
      throws IOException {
    java.util.Optional<AgeRecipients> recipients = settings.encryption();
    DigestingOutputStream encrypted = recipients.isEmpty() ? null : new DigestingOutputStream(upload);
    AgeEncryptingStream encrypting =
        recipients.isEmpty() ? null : AgeEncryptingStream.to(encrypted, recipients.get());
    OutputStream toStore = encrypting == null ? upload : encrypting;
    OutputStream sink =
        verifier == null
            ? toStore
            : new TeeOutputStream(toStore, verifierTap.apply(verifier.asOutputStream()));
    return new Streams(new DigestingOutputStream(sink), encrypting, encrypted);
  }

  /** pg_dump exited 0 and wrote a custom-format archive, or nothing may be published. */
  private static void checkDumped(
      ClientProcess pgDump, DigestingOutputStream archive, CountingRelay relay)
      throws InterruptedException {
    int status = pgDump.waitFor();
    if (status != 0) {
      Optional<String> unreachable = relay == null ? Optional.empty() : relay.unreachable();
      throw new FailureException(
          unreachable.isPresent() || NEVER_CONNECTED.matcher(pgDump.stderrTail()).find()
              ? FailureKind.DATABASE
              : FailureKind.DUMP,
          "pg_dump "
              + ClientProcess.describeExit(status)
              + "; nothing was stored: "
              + pgDump.stderrTail()
              + unreachable.map(why -> " (the server could not be reached: " + why + ")").orElse(""));
    }
    if (!archive.startsWithCustomArchiveMagic()) {
      throw new FailureException(
          FailureKind.DUMP,
          "pg_dump exited 0 but wrote no custom-format archive ("
              + archive.count()
              + " bytes); nothing was stored");
    }
  }

  private ArchiveVerifier startVerifier(ArchiveVerifier.Mode mode, PgInstallation client) {
    return mode == ArchiveVerifier.Mode.NONE
        ? null
        : ArchiveVerifier.start(mode, client, reporter.redactor());
  }

  /**
   * Copies pg_dump's stdout into the upload. A failed read is pg_dump's side; a failed write is
   * S3's or the verifier's, and then pg_dump is stopped at once (closing the process also does it
   * on any path).
   */
  private static void copy(ClientProcess pgDump, OutputStream archive) throws IOException {
    byte[] buffer = new byte[COPY_BUFFER];
    InputStream in = pgDump.stdout();
    while (true) {
      int read;
      try {
        read = in.read(buffer);
      } catch (IOException e) {
        throw new FailureException(
            FailureKind.DUMP, "reading pg_dump's output failed: " + e.getMessage(), e);
      }
      if (read < 0) {
        return;
      }
      try {
        archive.write(buffer, 0, read);
      } catch (IOException | RuntimeException e) {
        pgDump.kill();
        throw e;
      }
    }
  }
}
