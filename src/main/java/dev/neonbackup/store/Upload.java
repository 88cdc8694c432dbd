package dev.neonbackup.store;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Bytes of unknown length on their way to one object. Nothing is visible at the key until {@link
 * #complete()} succeeds; {@link #close()} without it aborts, so an exception anywhere leaves no
 * object behind. One thread writes.
 */
public abstract class Upload extends OutputStream {
  /** The store's id of this upload. */
  public abstract String id();

  /**
   * Publishes the object. Call it only once the data is known to be whole. The store refuses to
   * replace an object that appeared at the key meanwhile.
   */
  public abstract void complete() throws IOException;

  /** Drops everything uploaded so far. Safe to call more than once, and after a failure. */
  public abstract void abort();

  /** Never publishes: an upload that was not completed is aborted. */
  @Override
  public void close() {
    abort();
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }
}
