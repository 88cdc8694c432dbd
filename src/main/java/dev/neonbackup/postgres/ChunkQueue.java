package dev.neonbackup.postgres;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Hands bytes from one writer thread to one reader thread through a fixed set of reusable
 * buffers: the writer copies into a free buffer (waiting for one when all are queued), the reader
 * takes it, uses it and {@link #recycle recycles} it. So the verifier's queue allocates at most
 * {@code chunks} buffers for a whole archive instead of a copy of every write.
 */
final class ChunkQueue {
  /** A buffer and how many of its bytes are filled. */
  static final class Chunk {
    private final byte[] bytes;
    private int length;

    private Chunk(byte[] bytes) {
      this.bytes = bytes;
    }

    byte[] bytes() {
      return bytes;
    }

    int length() {
      return length;
    }
  }

  private static final Chunk END = new Chunk(new byte[0]);

  private final int chunks;
  private final int chunkBytes;
  private final BlockingQueue<Chunk> queued;
  private final BlockingQueue<Chunk> free;
  private int allocated;

  ChunkQueue(int chunks, int chunkBytes) {
    if (chunks < 1 || chunkBytes < 1) {
      throw new IllegalArgumentException("a chunk queue needs at least one chunk of one byte");
    }
    this.chunks = chunks;
    this.chunkBytes = chunkBytes;
    this.queued = new ArrayBlockingQueue<>(chunks + 1); // the buffers and the end
    this.free = new ArrayBlockingQueue<>(chunks);
  }

  /** Copies {@code length} bytes into free buffers and queues them; the writer's thread only. */
  void put(byte[] data, int offset, int length) throws InterruptedException {
    while (length > 0) {
      Chunk chunk = freeChunk();
      int part = Math.min(length, chunkBytes);
      System.arraycopy(data, offset, chunk.bytes, 0, part);
      chunk.length = part;
      queued.put(chunk);
      offset += part;
      length -= part;
    }
  }

  /** Queues the end of the input, after what was put. */
  void end() throws InterruptedException {
    queued.put(END);
  }

  /** The next chunk, waiting for one; null once the end is reached. */
  Chunk take() throws InterruptedException {
    Chunk chunk = queued.take();
    return chunk == END ? null : chunk;
  }

  /** Gives a taken chunk's buffer back for the writer to fill again. */
  void recycle(Chunk chunk) {
    chunk.length = 0;
    free.add(chunk);
  }

  /** How many buffers were allocated so far: at most {@code chunks}. */
  int buffersAllocated() {
    return allocated;
  }

  private Chunk freeChunk() throws InterruptedException {
    Chunk chunk = free.poll();
    if (chunk != null) {
      return chunk;
    }
    if (allocated < chunks) {
      allocated++;
      return new Chunk(new byte[chunkBytes]);
    }
    return free.take();
  }
}
