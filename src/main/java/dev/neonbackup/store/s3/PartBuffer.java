package dev.neonbackup.store.s3;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.zip.CRC32;

/**
 * One part's bytes on their way to S3, in fixed-size blocks outside the Java heap that a {@link
 * Pool} lends and takes back. Off the heap a part costs its size and no more (on the heap it would
 * count in the live set the collector sizes the heap from, about 2.5 times over with the image's
 * serial collector), and blocks of one size serve parts of every size, so doubling the part size
 * leaves no arrays of the old size behind.
 *
 * <p>Filled and released by the writer's thread; read by an upload thread in between.
 */
final class PartBuffer {
  /** The blocks of one upload: allocated on demand, reused for every later part. */
  static final class Pool {
    private final int blockSize;
    private final Deque<ByteBuffer> free = new ArrayDeque<>();
    private int allocated;

    Pool(int blockSize) {
      this.blockSize = blockSize;
    }

    PartBuffer part(long capacity) {
      return new PartBuffer(this, capacity);
    }

    /** Blocks allocated so far: as many as the most bytes held at once needed. */
    int blocksAllocated() {
      return allocated;
    }

    private ByteBuffer take() {
      ByteBuffer block = free.pollFirst();
      if (block == null) {
        allocated++;
        block = ByteBuffer.allocateDirect(blockSize);
      }
      return block;
    }

    private void give(ByteBuffer block) {
      block.clear();
      free.addFirst(block);
    }
  }

  private final Pool pool;
  private final long capacity;
  private final List<ByteBuffer> blocks = new ArrayList<>();
  private long length;

  private PartBuffer(Pool pool, long capacity) {
    this.pool = pool;
    this.capacity = capacity;
  }

  /** Copies as many of the {@code count} bytes as fit; returns how many it took. */
  int fill(byte[] data, int offset, int count) {
    int taken = 0;
    while (taken < count && length < capacity) {
      ByteBuffer block = blocks.isEmpty() ? null : blocks.get(blocks.size() - 1);
      if (block == null || !block.hasRemaining()) {
        block = pool.take();
        blocks.add(block);
      }
      int n = (int) Math.min(Math.min(block.remaining(), count - taken), capacity - length);
      block.put(data, offset + taken, n);
      taken += n;
      length += n;
    }
    return taken;
  }

  boolean full() {
    return length == capacity;
  }

  long length() {
    return length;
  }

  /** The bytes from the first: each call is a new stream, as the SDK reads a part again to retry. */
  InputStream newStream() {
    return new BlocksInputStream(readViews());
  }

  /** The base64 of the big-endian CRC32 of the bytes, as S3 wants it in a part's header. */
  String crc32() {
    CRC32 crc = new CRC32();
    for (ByteBuffer view : readViews()) {
      crc.update(view);
    }
    return Base64.getEncoder()
        .encodeToString(ByteBuffer.allocate(Integer.BYTES).putInt((int) crc.getValue()).array());
  }

  /** Gives the blocks back to the pool for the next parts; the part is empty afterwards. */
  void release() {
    blocks.forEach(pool::give);
    blocks.clear();
    length = 0;
  }

  private List<ByteBuffer> readViews() {
    List<ByteBuffer> views = new ArrayList<>(blocks.size());
    for (ByteBuffer block : blocks) {
      views.add(block.duplicate().flip());
    }
    return views;
  }

  /** Reads the filled bytes of the blocks one after the other. */
  private static final class BlocksInputStream extends InputStream {
    private final List<ByteBuffer> views;
    private int index;

    BlocksInputStream(List<ByteBuffer> views) {
      this.views = views;
    }

    @Override
    public int read() {
      ByteBuffer view = current();
      return view == null ? -1 : view.get() & 0xff;
    }

    @Override
    public int read(byte[] target, int offset, int count) {
      if (count == 0) {
        return 0;
      }
      ByteBuffer view = current();
      if (view == null) {
        return -1;
      }
      int n = Math.min(count, view.remaining());
      view.get(target, offset, n);
      return n;
    }

    @Override
    public int available() {
      ByteBuffer view = current();
      return view == null ? 0 : view.remaining();
    }

    private ByteBuffer current() {
      while (index < views.size() && !views.get(index).hasRemaining()) {
        index++;
      }
      return index < views.size() ? views.get(index) : null;
    }
  }
}
