package dev.neonbackup.store.s3;

import dev.neonbackup.failure.StorageException;
import dev.neonbackup.store.ObjectLocation;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Streams bytes of unknown length into one S3 object through a multipart upload. Nothing becomes
 * visible at the key until {@link #complete()} succeeds; {@link #close()} without a completed
 * upload aborts it, so an exception anywhere leaves no object behind. A part is uploaded while the
 * next one fills; memory stays within about {@link #BUFFER_BUDGET} whatever the object's size.
 *
 * <p>Not thread-safe: one writer thread owns the stream; part uploads run on its own threads.
 */
public final class MultipartUploadStream extends OutputStream {
  /** Bytes of part buffers this stream holds at once, the part being filled included. */
  public static final long BUFFER_BUDGET = 128 * PartSizes.MIB;

  private static final int MAX_PARALLEL_PARTS = 2;
  private static final Logger LOG = LoggerFactory.getLogger(MultipartUploadStream.class);

  private final S3Client s3;
  private final ObjectLocation location;
  private final PartSizes partSizes;
  private final boolean checksums;
  private final String uploadId;
  private final ExecutorService uploader;
  private final Deque<PendingPart> pending = new ArrayDeque<>();
  private final List<CompletedPart> completed = new ArrayList<>();
  private final Deque<byte[]> freeBuffers = new ArrayDeque<>();

  private byte[] buffer;
  private int filled;
  private int partNumber = 1;
  private long bytesWritten;
  private boolean finished;

  private record PendingPart(int number, byte[] buffer, Future<CompletedPart> result) {}

  private MultipartUploadStream(
      S3Client s3, ObjectLocation location, PartSizes partSizes, boolean checksums, String id) {
    this.s3 = s3;
    this.location = location;
    this.partSizes = partSizes;
    this.checksums = checksums;
    this.uploadId = id;
    this.uploader =
        Executors.newFixedThreadPool(
            MAX_PARALLEL_PARTS,
            runnable -> {
              Thread thread = new Thread(runnable, "s3-part-upload");
              thread.setDaemon(true);
              return thread;
            });
    this.buffer = new byte[(int) partSizes.sizeOf(1)];
  }

  /** Starts the multipart upload: this is where wrong credentials or a missing bucket show. */
  public static MultipartUploadStream start(
      S3Client s3, ObjectLocation location, PartSizes partSizes, boolean checksums) {
    CreateMultipartUploadRequest.Builder request =
        CreateMultipartUploadRequest.builder()
            .bucket(location.bucket())
            .key(location.key())
            .contentType("application/octet-stream");
    if (checksums) {
      request.checksumAlgorithm(ChecksumAlgorithm.CRC32);
    }
    try {
      String id = s3.createMultipartUpload(request.build()).uploadId();
      return new MultipartUploadStream(s3, location, partSizes, checksums, id);
    } catch (SdkException e) {
      throw StorageErrors.explain("start the upload to " + location.url(), location.bucket(), e);
    }
  }

  public String uploadId() {
    return uploadId;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] data, int offset, int length) throws IOException {
    ensureOpen();
    while (length > 0) {
      if (buffer == null) {
        prepareNextPart();
      }
      int chunk = Math.min(length, buffer.length - filled);
      System.arraycopy(data, offset, buffer, filled, chunk);
      filled += chunk;
      offset += chunk;
      length -= chunk;
      bytesWritten += chunk;
      if (filled == buffer.length) {
        sendCurrentPart();
      }
    }
  }

  /**
   * Uploads what is left and publishes the object. Call it only once the data is known to be
   * whole: before this, nothing exists at the key. With {@code ifNoneMatch}, S3 refuses to replace
   * an object that appeared at the key meanwhile.
   */
  public Completed complete(boolean ifNoneMatch) throws IOException {
    ensureOpen();
    if (buffer != null && (filled > 0 || partNumber == 1)) {
      sendCurrentPart();
    }
    drainPending(0);
    CompleteMultipartUploadRequest.Builder request =
        CompleteMultipartUploadRequest.builder()
            .bucket(location.bucket())
            .key(location.key())
            .uploadId(uploadId)
            .multipartUpload(CompletedMultipartUpload.builder().parts(completed).build());
    if (ifNoneMatch) {
      request.ifNoneMatch("*");
    }
    try {
      String eTag = s3.completeMultipartUpload(request.build()).eTag();
      finished = true;
      uploader.shutdown();
      return new Completed(location, bytesWritten, completed.size(), eTag);
    } catch (S3Exception e) {
      if (e.statusCode() == 412) {
        if (isOurs()) {
          finished = true;
          uploader.shutdown();
          return new Completed(location, bytesWritten, completed.size(), null);
        }
        throw new StorageException(
            "could not publish " + location.url() + ": another object appeared at that key", e);
      }
      throw StorageErrors.explain("publish " + location.url(), location.bucket(), e);
    } catch (SdkException e) {
      throw StorageErrors.explain("publish " + location.url(), location.bucket(), e);
    }
  }

  /**
   * After a 412 on completion: whether the object at the key is this upload, completed by an
   * earlier attempt whose answer was lost (the SDK retried), rather than another run's. A multipart
   * object's ETag ends with its part count; with the size, that tells them apart.
   */
  private boolean isOurs() {
    try {
      var head =
          s3.headObject(
              software.amazon.awssdk.services.s3.model.HeadObjectRequest.builder()
                  .bucket(location.bucket())
                  .key(location.key())
                  .build());
      String eTag = head.eTag() == null ? "" : head.eTag().replace("\"", "");
      return head.contentLength() == bytesWritten && eTag.endsWith("-" + completed.size());
    } catch (SdkException e) {
      return false;
    }
  }

  /** What {@link #complete} published. */
  public record Completed(ObjectLocation location, long size, int parts, String eTag) {}

  /**
   * Cancels the parts in flight, waits for them, and aborts the multipart upload so that S3 keeps
   * no parts. Safe to call more than once, and after a failure.
   */
  public void abort() {
    if (finished) {
      return;
    }
    finished = true;
    for (PendingPart part : pending) {
      part.result().cancel(true);
    }
    uploader.shutdownNow();
    try {
      uploader.awaitTermination(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      s3.abortMultipartUpload(
          AbortMultipartUploadRequest.builder()
              .bucket(location.bucket())
              .key(location.key())
              .uploadId(uploadId)
              .build());
    } catch (SdkException e) {
      LOG.warn(
          "could not abort the unfinished upload {} to {} ({}); a bucket lifecycle rule"
              + " AbortIncompleteMultipartUpload removes it",
          uploadId,
          location.url(),
          StorageErrors.reason(location.bucket(), e));
    }
  }

  /** Never publishes: an upload that was not completed is aborted. */
  @Override
  public void close() {
    abort();
  }

  private void ensureOpen() throws IOException {
    if (finished) {
      throw new IOException("the upload to " + location.url() + " is already finished");
    }
  }

  private void sendCurrentPart() {
    int number = partNumber;
    byte[] data = buffer;
    int length = filled;
    pending.addLast(
        new PendingPart(number, data, uploader.submit(() -> uploadPart(number, data, length))));
    partNumber++;
    filled = 0;
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
    drainPending(maxInFlight(size));
    buffer = takeBuffer((int) size);
  }

  /** How many parts may upload while the next one fills, within the buffer budget. */
  static int maxInFlight(long partSize) {
    long buffers = BUFFER_BUDGET / partSize;
    return (int) Math.max(0, Math.min(MAX_PARALLEL_PARTS, buffers - 1));
  }

  private CompletedPart uploadPart(int number, byte[] data, int length) {
    UploadPartRequest.Builder request =
        UploadPartRequest.builder()
            .bucket(location.bucket())
            .key(location.key())
            .uploadId(uploadId)
            .partNumber(number)
            .contentLength((long) length);
    if (checksums) {
      request.checksumAlgorithm(ChecksumAlgorithm.CRC32);
    }
    RequestBody body =
        RequestBody.fromContentProvider(
            () -> new ByteArrayInputStream(data, 0, length), length, "application/octet-stream");
    UploadPartResponse response = s3.uploadPart(request.build(), body);
    return CompletedPart.builder()
        .partNumber(number)
        .eTag(response.eTag())
        .checksumCRC32(response.checksumCRC32())
        .build();
  }

  /** Waits until at most {@code limit} parts are in flight, recycling their buffers. */
  private void drainPending(int limit) throws IOException {
    while (pending.size() > limit) {
      PendingPart part = pending.removeFirst();
      completed.add(await(part));
      freeBuffers.addLast(part.buffer());
    }
  }

  private CompletedPart await(PendingPart part) throws IOException {
    try {
      return part.result().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while uploading part " + part.number(), e);
    } catch (CancellationException e) {
      throw new IOException("the upload of part " + part.number() + " was cancelled", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof SdkException) {
        throw StorageErrors.explain(
            "upload part " + part.number() + " of " + location.url(),
            location.bucket(),
            (SdkException) cause);
      }
      throw new IOException("the upload of part " + part.number() + " failed", cause);
    }
  }

  private byte[] takeBuffer(int size) {
    while (!freeBuffers.isEmpty()) {
      byte[] candidate = freeBuffers.removeFirst();
      if (candidate.length == size) {
        return candidate;
      }
    }
    return new byte[size];
  }
}
