package dev.neonbackup.crypto;

import com.exceptionfactory.jagged.framework.stream.StandardEncryptingChannelFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.security.GeneralSecurityException;

/**
 * Encrypts what is written to it into {@code target}, in the age v1 format (jagged writes the
 * header and the ChaCha20-Poly1305 chunks of 64 KiB). Only {@link #finish} writes the last chunk,
 * the one that marks the end: an archive cut short on a failed run does not authenticate. Neither
 * finishing nor closing closes {@code target}.
 */
public final class AgeEncryptingStream extends OutputStream {
  private final WritableByteChannel channel;
  private boolean finished;

  private AgeEncryptingStream(WritableByteChannel channel) {
    this.channel = channel;
  }

  /** Writes the header to {@code target} at once. */
  public static AgeEncryptingStream to(OutputStream target, AgeRecipients recipients)
      throws IOException {
    try {
      return new AgeEncryptingStream(
          new StandardEncryptingChannelFactory()
              .newEncryptingChannel(new Target(target), recipients.writers()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("age encryption could not start: " + e.getMessage(), e);
    }
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] data, int offset, int length) throws IOException {
    if (finished) {
      throw new IOException("the age stream is finished");
    }
    ByteBuffer buffer = ByteBuffer.wrap(data, offset, length);
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  /** Encrypts the rest as the last chunk; the target then holds a whole age file. */
  public void finish() throws IOException {
    if (!finished) {
      finished = true;
      channel.close();
    }
  }

  /** Leaves an unfinished stream unfinished: a failed run publishes nothing anyway. */
  @Override
  public void close() {}

  /** The target as a channel that stays open when the age channel closes. */
  private static final class Target implements WritableByteChannel {
    private final OutputStream out;
    private boolean open = true;

    Target(OutputStream out) {
      this.out = out;
    }

    @Override
    public int write(ByteBuffer source) throws IOException {
      int length = source.remaining();
      if (source.hasArray()) {
        out.write(source.array(), source.arrayOffset() + source.position(), length);
        source.position(source.limit());
      } else {
        byte[] copy = new byte[length];
        source.get(copy);
        out.write(copy, 0, length);
      }
      return length;
    }

    @Override
    public boolean isOpen() {
      return open;
    }

    @Override
    public void close() {
      open = false;
    }
  }
}
