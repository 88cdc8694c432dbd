package dev.neonbackup.postgres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The verifier's hand-over from the pipeline to pg_restore's feeder: a fixed set of buffers. */
class ChunkQueueTest {
  @Test
  void passes_the_bytes_through_in_order_in_chunks_of_at_most_the_chunk_size() throws Exception {
    ChunkQueue queue = new ChunkQueue(4, 1000);
    byte[] data = new byte[123_457];
    new Random(7).nextBytes(data);
    CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> drain(queue, null));
    writeInOddPieces(queue, data);
    queue.end();
    assertArrayEquals(data, read.get(30, TimeUnit.SECONDS));
  }

  @Test
  void recycles_its_buffers_instead_of_allocating_one_per_write() throws Exception {
    ChunkQueue queue = new ChunkQueue(4, 1000);
    Set<byte[]> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> drain(queue, seen));
    byte[] data = new byte[10_000_000];
    new Random(8).nextBytes(data);
    writeInOddPieces(queue, data);
    queue.end();
    assertArrayEquals(data, read.get(30, TimeUnit.SECONDS));
    assertTrue(seen.size() <= 4, seen.size() + " distinct buffers for 10 MB in 1000-byte chunks");
    assertTrue(queue.buffersAllocated() <= 4, queue.buffersAllocated() + " buffers allocated");
  }

  @Test
  void a_writer_waits_for_a_free_buffer_once_all_are_queued() throws Exception {
    ChunkQueue queue = new ChunkQueue(2, 10);
    queue.put(new byte[20], 0, 20); // both buffers queued, none taken
    CompletableFuture<Void> third =
        CompletableFuture.runAsync(
            () -> {
              try {
                queue.put(new byte[] {1}, 0, 1);
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    Thread.sleep(200);
    assertFalse(third.isDone(), "the third write waits while both buffers are queued");
    ChunkQueue.Chunk first = queue.take();
    queue.recycle(first);
    third.get(10, TimeUnit.SECONDS);
    assertEquals(2, queue.buffersAllocated());
  }

  @Test
  void take_returns_null_after_the_end() throws Exception {
    ChunkQueue queue = new ChunkQueue(2, 10);
    queue.put(new byte[] {5, 6}, 0, 2);
    queue.end();
    ChunkQueue.Chunk chunk = queue.take();
    assertEquals(2, chunk.length());
    queue.recycle(chunk);
    assertNull(queue.take());
  }

  private static byte[] drain(ChunkQueue queue, Set<byte[]> seen) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      for (ChunkQueue.Chunk chunk = queue.take(); chunk != null; chunk = queue.take()) {
        if (seen != null) {
          seen.add(chunk.bytes());
        }
        assertTrue(chunk.length() > 0 && chunk.length() <= chunk.bytes().length);
        out.write(chunk.bytes(), 0, chunk.length());
        queue.recycle(chunk);
      }
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }

  private static void writeInOddPieces(ChunkQueue queue, byte[] data) throws InterruptedException {
    int offset = 0;
    int piece = 1;
    while (offset < data.length) {
      int length = Math.min(piece, data.length - offset);
      queue.put(data, offset, length);
      offset += length;
      piece = piece * 3 + 7 > 300_000 ? 1 : piece * 3 + 7;
    }
  }
}
