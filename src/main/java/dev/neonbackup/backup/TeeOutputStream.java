package dev.neonbackup.backup;

import java.io.IOException;
import java.io.OutputStream;

/** Writes every byte to two streams, the primary first. Closing closes neither. */
final class TeeOutputStream extends OutputStream {
  private final OutputStream primary;
  private final OutputStream secondary;

  TeeOutputStream(OutputStream primary, OutputStream secondary) {
    this.primary = primary;
    this.secondary = secondary;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] data, int offset, int length) throws IOException {
    primary.write(data, offset, length);
    secondary.write(data, offset, length);
  }
}
