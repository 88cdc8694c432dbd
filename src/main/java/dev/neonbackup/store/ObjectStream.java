package dev.neonbackup.store;

import java.io.FilterInputStream;
import java.io.InputStream;

/** An object being read. {@link #abort()} drops the connection instead of reading the rest. */
public abstract class ObjectStream extends FilterInputStream {
  protected ObjectStream(InputStream in) {
    super(in);
  }

  public abstract void abort();
}
