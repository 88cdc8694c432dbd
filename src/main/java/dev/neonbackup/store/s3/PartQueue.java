package dev.neonbackup.store.s3;

import dev.neonbackup.store.ObjectLocation;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
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
 * writer fills the next; finished parts give their buffers back for reuse.
 */
final class PartQueue {
  static final int MAX_PARALLEL_PARTS = 2;

  private final S3Client s3;
  private final ObjectLocation location;
  private final String uploadId;
  private final boolean checksums;
  private final ExecutorService uploader;
  private final Deque<PendingPart> pending = new ConcurrentLinkedDeque<>();
  private final List<CompletedPart> completed = new ArrayList<>();
  private final Deque<byte[]> freeBuffers = new ArrayDeque<>();

  private record PendingPart(int number, byte[] buffer, Future<CompletedPart> result) {}

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

  void send(int number, byte[] data, int length) {
    pending.addLast(
        new PendingPart(number, data, uploader.submit(() -> uploadPart(number, data, length))));
  }

  /** Waits until at most {@code limit} parts are in flight, recycling their buffers. */
  void drain(int limit) throws IOException {
    while (pending.size() > limit) {
      PendingPart part = pending.removeFirst();
      completed.add(await(part));
      freeBuffers.addLast(part.buffer());
    }
  }

  /** Every part, in order, once {@link #drain drained} to zero. */
  List<CompletedPart> completed() {
    return completed;
  }

  byte[] takeBuffer(int size) {
    while (!freeBuffers.isEmpty()) {
      byte[] candidate = freeBuffers.removeFirst();
      if (candidate.length == size) {
        return candidate;
      }
    }
    return new byte[size];
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
