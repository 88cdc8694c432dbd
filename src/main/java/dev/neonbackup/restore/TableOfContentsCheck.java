package dev.neonbackup.restore;

import dev.neonbackup.failure.FailureException;
import dev.neonbackup.failure.FailureKind;
import dev.neonbackup.postgres.ArchiveVerifier;
import dev.neonbackup.postgres.PgInstallation;
import dev.neonbackup.report.Reporter;
import dev.neonbackup.store.BackupStore;
import dev.neonbackup.store.ObjectStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * An archive without a manifest has no SHA-256 to check, so before anything is restored into the
 * target, pg_restore reads its table of contents (pg_restore --list), streamed from the bucket: the
 * head of the object only, since pg_restore stops reading once it has the whole table (decrypted on
 * the way when the object is encrypted).
 */
final class TableOfContentsCheck {
  private static final int CHUNK = 64 * 1024;

  private TableOfContentsCheck() {}

  static void run(BackupStore store, Reporter reporter, PgInstallation client, BackupToRestore backup) {
    String url = backup.location().url();
    try (ArchiveVerifier toc = ArchiveVerifier.start(ArchiveVerifier.Mode.TOC, client, reporter.redactor());
        ObjectStream object = store.open(backup.location().key())) {
      InputStream archive = backup.decryption().map(d -> d.open(object)).orElse(object);
      byte[] buffer = new byte[CHUNK];
      int read;
      while (!toc.stoppedReading() && (read = archive.read(buffer)) >= 0) {
        toc.write(buffer, 0, read);
      }
      object.abort(); // the rest of the archive is not needed
      toc.finish();
      reporter.info("the table of contents of " + url + " reads; restoring it without a manifest");
    } catch (FailureException e) {
      throw new FailureException(
          FailureKind.VERIFY,
          url + " has no manifest, and its table of contents does not read: " + e.getMessage()
              + "; refusing to restore it (the target was not touched)",
          e);
    } catch (IOException e) {
      throw new FailureException(FailureKind.RESTORE, "reading " + url + " failed: " + e.getMessage(), e);
    }
  }
}
