package dev.neonbackup.crypto;

import com.exceptionfactory.jagged.UnsupportedRecipientStanzaException;
import com.exceptionfactory.jagged.framework.stream.StandardDecryptingChannelFactory;
import dev.neonbackup.failure.FailureException;
import dev.neonbackup.failure.FailureKind;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.security.GeneralSecurityException;
import java.util.List;

/**
 * Decrypts an age file with an identity. Which failure is which matters to the person woken at
 * night: an identity that is none of the recipients the manifest names is the wrong key (exit 8);
 * one that is, but does not open the header, or a chunk that fails authentication, is an object
 * changed or damaged in storage (exit 6); an error of the source itself stays that error.
 */
public final class AgeDecryption {
  private final AgeIdentity identity;
  private final List<String> recipients;
  private final String what;

  /**
   * {@code recipients}: the public keys the manifest says the archive is encrypted to, empty when
   * unknown; {@code what}: the object, as messages name it.
   */
  public AgeDecryption(AgeIdentity identity, List<String> recipients, String what) {
    this.identity = identity;
    this.recipients = List.copyOf(recipients);
    this.what = what;
  }

  /** Checks, on the first bytes of the object, that the identity opens its header. */
  public void checkHeader(byte[] head) {
    open(new ByteArrayInputStream(head));
  }

  /** The plaintext of {@code source}; the header is read and checked before this returns. */
  public InputStream open(InputStream source) {
    Source tracked = new Source(source);
    ReadableByteChannel channel;
    try {
      channel =
          new StandardDecryptingChannelFactory()
              .newDecryptingChannel(Channels.newChannel(tracked), identity.readers());
    } catch (UnsupportedRecipientStanzaException e) {
      throw notOpened();
    } catch (GeneralSecurityException | IOException e) {
      tracked.rethrowOwn();
      throw new FailureException(
          FailureKind.VERIFY,
          what + " is not a readable age file (" + e.getMessage() + "): it was changed or damaged"
              + " in storage");
    }
    return new Plaintext(Channels.newInputStream(channel), tracked);
  }

  private FailureException notOpened() {
    boolean oneOfThem = identity.publicKeys().stream().anyMatch(recipients::contains);
    if (oneOfThem) {
      return new FailureException(
          FailureKind.VERIFY,
          what + ": age-identity is one of its recipients, yet does not open its header: the"
              + " header was changed or damaged in storage");
    }
    return new FailureException(
        FailureKind.RESTORE,
        what + " is encrypted to " + (recipients.isEmpty() ? "other keys" : String.join(", ", recipients))
            + "; age-identity (public key " + String.join(", ", identity.publicKeys())
            + ") is none of them" + (recipients.isEmpty() ? " (or its header is damaged)" : ""));
  }

  /** Remembers an error of the source, so that it is not mistaken for a failed authentication. */
  private static final class Source extends FilterInputStream {
    private IOException own;

    Source(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (IOException e) {
        own = e;
        throw e;
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (IOException e) {
        own = e;
        throw e;
      }
    }

    /** An error reading the source while the header was read is the store's, exit 5. */
    void rethrowOwn() {
      if (own != null) {
        throw new FailureException(
            FailureKind.STORAGE, "reading the object failed: " + own.getMessage(), own);
      }
    }

    IOException own() {
      return own;
    }
  }

  /** The decrypted bytes; a chunk that fails authentication is exit 6, named as such. */
  private final class Plaintext extends FilterInputStream {
    private final Source source;
    private long position;

    Plaintext(InputStream in, Source source) {
      super(in);
      this.source = source;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int read;
      try {
        read = super.read(b, off, len);
      } catch (IOException e) {
        if (source.own() != null) {
          throw source.own();
        }
        throw new FailureException(
            FailureKind.VERIFY,
            what + " failed age authentication after " + position + " bytes of plaintext ("
                + e.getMessage() + "): it was changed, damaged or cut short in storage",
            e);
      }
      if (read > 0) {
        position += read;
      }
      return read;
    }
  }
}
