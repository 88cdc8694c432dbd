package dev.neonbackup.store.s3;

import dev.neonbackup.store.ObjectLocation;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * The parts of one multipart upload on their way: each uploads on a thread of its own while the
 * writer fills the next; finished parts give their blocks back for reuse.
 */
final class PartQueue {
  static final int MAX_PARALLEL_PARTS = 2;
  /** The parts' blocks: a part of 8 MiB takes 8, of 128 MiB 128. */
  static final int BLOCK_BYTES = (int) PartSizes.MIB;

  private final S3Client s3;
  private final ObjectLocation location;
  private final String uploadId;
  private final boolean checksums;
  private final ExecutorService uploader;
  private final Deque<PendingPart> pending = new ConcurrentLinkedDeque<>();
  private final List<CompletedPart> completed = new ArrayList<>();
  private final PartBuffer.Pool blocks = new PartBuffer.Pool(BLOCK_BYTES);

  private record PendingPart(int number, PartBuffer buffer, Future<CompletedPart> result) {}

  PartQueue(S3Client s3, ObjectLocation location, String uploadId, boolean checksums) {
    this.s3 = s3;
    this.location = location;
    this.uploadId = uploadId;
    this.checksums = checksums;
    this.uploader =
        Executors.newFixedThreadPool(
            MAX_PARALLEL_PARTS,
            runnable -> {
              Thread thread = new Thread(runnable, "s3-part-upload");
              thread.setDaemon(true);
              return thread;
            });
  }

  void send(int number, PartBuffer part) {
    pending.addLast(new PendingPart(number, part, uploader.submit(() -> uploadPart(number, part))));
  }

  /** Waits until at most {@code limit} parts are in flight, recycling their buffers. */
  void drain(int limit) throws IOException {
    while (pending.size() > limit) {
      PendingPart part = pending.removeFirst();
      completed.add(await(part));
      part.buffer().release();
    }
  }

  /** Every part, in order, once {@link #drain drained} to zero. */
  List<CompletedPart> completed() {
    return completed;
  }

  /** An empty part of {@code size} bytes, made of blocks that earlier parts gave back. */
  PartBuffer takeBuffer(long size) {
    return blocks.part(size);
  }

  /**
   * Cancels the parts in flight and waits up to {@code wait} for them, so that none lands after
   * the upload is aborted; says whether any part was in flight.
   */
  boolean cancel(Duration wait) {
    boolean inFlight = false;
    for (PendingPart part : List.copyOf(pending)) {
      inFlight |= !part.result().isDone();
      part.result().cancel(true);
    }
    uploader.shutdownNow();
    try {
      uploader.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return inFlight;
  }

  /** Waits up to {@code wait} for part uploads that were cancelled to end. */
  void awaitStopped(Duration wait) {
    try {
      uploader.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  void shutdown() {
    uploader.shutdown();
  }

  private CompletedPart uploadPart(int number, PartBuffer part) {
    long length = part.length();
    UploadPartRequest.Builder request =
        UploadPartRequest.builder()
            .bucket(location.bucket())
            .key(location.key())
            .uploadId(uploadId)
            .partNumber(number)
            .contentLength(length);
    // Computed here from the buffer, so the SDK sends the part as it is, without the
    // aws-chunked encoding that a trailing checksum needs (a new array for every 128 KiB).
    String crc32 = checksums ? part.crc32() : null;
    if (checksums) {
      request.checksumAlgorithm(ChecksumAlgorithm.CRC32).checksumCRC32(crc32);
    }
    RequestBody body =
        RequestBody.fromContentProvider(part::newStream, length, "application/octet-stream");
    UploadPartResponse response = s3.uploadPart(request.build(), body);
    return CompletedPart.builder()
        .partNumber(number)
        .eTag(response.eTag())
        // The value sent, which S3 checked: not every S3-compatible store echoes it back.
        .checksumCRC32(response.checksumCRC32() == null ? crc32 : response.checksumCRC32())
        .build();
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
}
