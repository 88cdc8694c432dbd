package dev.neonbackup.store.s3;

import dev.neonbackup.failure.StorageException;
import dev.neonbackup.store.ObjectLocation;
import dev.neonbackup.store.ServerSide;
import dev.neonbackup.store.Upload;
import dev.neonbackup.shutdown.ShutdownPath;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;

/**
 * Streams bytes of unknown length into one S3 object through a multipart upload. Nothing becomes
 * visible at the key until {@link #complete()} succeeds; {@link #close()} without a completed
 * upload aborts it, so an exception anywhere leaves no object behind. A part is uploaded while the
 * next one fills; memory stays within about {@link #BUFFER_BUDGET} whatever the object's size.
 *
 * <p>Not thread-safe: one writer thread owns the stream; part uploads run on its own threads.
 */
public final class MultipartUploadStream extends Upload {
  /** Bytes of part buffers this stream holds at once, the part being filled included. */
  public static final long BUFFER_BUDGET = 128 * PartSizes.MIB;

  /** How long an abort waits for the parts in flight to stop. */
  private static final Duration PART_WAIT = Duration.ofSeconds(60);
  /** The same, when a signal aborts: the runner kills the process soon after. */
  private static final Duration SIGNAL_PART_WAIT = Duration.ofMillis(700);

  private static final Logger LOG = LoggerFactory.getLogger(MultipartUploadStream.class);

  private final S3Client s3;
  private final ObjectLocation location;
  private final PartSizes partSizes;
  private final String uploadId;
  private final PartQueue parts;

  private final AtomicBoolean finished = new AtomicBoolean();
  private final ShutdownPath.Registration registration;
  private volatile boolean completed;

  private PartBuffer buffer;
  private int partNumber = 1;
  private long bytesWritten;

  private MultipartUploadStream(
      S3Client s3, ObjectLocation location, PartSizes partSizes, boolean checksums, String id) {
    this.s3 = s3;
    this.location = location;
    this.partSizes = partSizes;
    this.uploadId = id;
    this.parts = new PartQueue(s3, location, id, checksums);
    this.buffer = parts.takeBuffer(partSizes.sizeOf(1));
    this.registration =
        ShutdownPath.process()
            .register(
                ShutdownPath.Kind.UPLOAD,
                "the unfinished upload to " + location.url(),
                this::abortOnSignal);
  }

  /** Starts the multipart upload: this is where wrong credentials or a missing bucket show. */
  public static MultipartUploadStream start(
      S3Client s3,
      ObjectLocation location,
      PartSizes partSizes,
      boolean checksums,
      ServerSide side,
      Instant lockFrom) {
    CreateMultipartUploadRequest.Builder request =
        CreateMultipartUploadRequest.builder()
            .bucket(location.bucket())
            .key(location.key())
            .contentType("application/octet-stream");
    if (checksums) {
      request.checksumAlgorithm(ChecksumAlgorithm.CRC32);
    }
    ServerSideHeaders.onArchive(request, side, lockFrom);
    try (ShutdownPath.Creation creation =
        ShutdownPath.process().creating("starting the upload to " + location.url())) {
      String id = s3.createMultipartUpload(request.build()).uploadId();
      return new MultipartUploadStream(s3, location, partSizes, checksums, id);
    } catch (SdkException e) {
      throw StorageErrors.explain("start the upload to " + location.url(), location.bucket(), e);
    }
  }

  @Override
  public String id() {
    return uploadId;
  }

  @Override
  public void write(byte[] data, int offset, int length) throws IOException {
    ensureOpen();
    while (length > 0) {
      if (buffer == null) {
        prepareNextPart();
      }
      int taken = buffer.fill(data, offset, length);
      offset += taken;
      length -= taken;
      bytesWritten += taken;
      if (buffer.full()) {
        sendCurrentPart();
      }
    }
  }

  /**
   * Uploads what is left and publishes the object, with If-None-Match so that S3 refuses to
   * replace an object that appeared at the key meanwhile.
   */
  @Override
  public void complete() throws IOException {
    ensureOpen();
    if (buffer != null && (buffer.length() > 0 || partNumber == 1)) {
      sendCurrentPart();
    }
    parts.drain(0);
    CompleteMultipartUploadRequest request =
        CompleteMultipartUploadRequest.builder()
            .bucket(location.bucket())
            .key(location.key())
            .uploadId(uploadId)
            .multipartUpload(CompletedMultipartUpload.builder().parts(parts.completed()).build())
            .ifNoneMatch("*")
            .build();
    try {
      s3.completeMultipartUpload(request);
    } catch (SdkException e) {
      if (!IfNoneMatch.refused(e)) {
        throw StorageErrors.explain("publish " + location.url(), location.bucket(), e);
      }
      if (!IfNoneMatch.holdsSameUpload(s3, location, bytesWritten, parts.completed().size())) {
        throw new StorageException(
            "could not publish " + location.url() + ": another object appeared at that key", e);
      }
    }
    completed = true;
    finished.set(true);
    registration.close();
    parts.shutdown();
  }

  /** Bytes written so far. */
  public long size() {
    return bytesWritten;
  }

  /** Parts uploaded, once completed. */
  public int parts() {
    return parts.completed().size();
  }

  /**
   * Cancels the parts in flight, waits for them, and aborts the multipart upload so that S3 keeps
   * no parts. Safe to call more than once, and after a failure.
   */
  @Override
  public void abort() {
    if (!finished.compareAndSet(false, true)) {
      return;
    }
    parts.cancel(PART_WAIT);
    try {
      sendAbort();
    } catch (SdkException e) {
      LOG.warn(
          "could not abort the unfinished upload {} to {} ({}); a bucket lifecycle rule"
              + " AbortIncompleteMultipartUpload removes it",
          uploadId,
          location.url(),
          StorageErrors.reason(location.bucket(), e));
    }
    registration.close();
  }

  /**
   * A signal's abort, from another thread and with little time: stops the parts in flight, aborts,
   * and aborts again if a part was in flight, since S3 may keep a part that lands after the first
   * abort. Unless the upload completed meanwhile, it is sent even when the writer is aborting
   * too: aborting twice is harmless, and the process may end before the writer gets there.
   */
  private void abortOnSignal() {
    if (completed) {
      return;
    }
    finished.set(true);
    boolean inFlight = parts.cancel(SIGNAL_PART_WAIT);
    sendAbort();
    if (inFlight) {
      parts.awaitStopped(SIGNAL_PART_WAIT);
      sendAbort();
    }
  }

  private void sendAbort() {
    try {
      s3.abortMultipartUpload(
          AbortMultipartUploadRequest.builder()
              .bucket(location.bucket())
              .key(location.key())
              .uploadId(uploadId)
              .build());
    } catch (NoSuchUploadException e) {
      // Already aborted, by the other side of a race.
    }
  }

  private void ensureOpen() throws IOException {
    if (finished.get()) {
      throw new IOException("the upload to " + location.url() + " is already finished");
    }
  }

  private void sendCurrentPart() {
    parts.send(partNumber, buffer);
    partNumber++;
    buffer = null;
  }

  /** Waits until few enough parts are in flight, then takes a buffer for the next part. */
  private void prepareNextPart() throws IOException {
    if (partNumber > PartSizes.MAX_PARTS) {
      throw new StorageException(
          "the archive is larger than the "
              + PartSizes.MAX_PARTS
              + " parts S3 allows ("
              + partSizes.capacity() / PartSizes.MIB
              + " MiB)",
          null);
    }
    long size = partSizes.sizeOf(partNumber);
    parts.drain(maxInFlight(size));
    buffer = parts.takeBuffer(size);
  }

  /** How many parts may upload while the next one fills, within the buffer budget. */
  static int maxInFlight(long partSize) {
    long buffers = BUFFER_BUDGET / partSize;
    return (int) Math.max(0, Math.min(PartQueue.MAX_PARALLEL_PARTS, buffers - 1));
  }
}
