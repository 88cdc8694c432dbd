package dev.neonbackup.crypto;

import com.exceptionfactory.jagged.RecipientStanzaWriter;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaWriterFactory;
import dev.neonbackup.failure.InputException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code age-recipients} input: the age X25519 public keys ({@code age1...}) every archive is
 * encrypted to. Any one of their private keys decrypts it; the machine that writes backups needs
 * none of them.
 */
public record AgeRecipients(List<String> publicKeys) {
  public static final String INPUT = "age-recipients";
  static final String PUBLIC_PREFIX = "age1";
  static final String SECRET_PREFIX = "AGE-SECRET-KEY-1";

  public AgeRecipients {
    publicKeys = List.copyOf(publicKeys);
  }

  /** Empty for a blank input; a clear error naming the input for anything that is not a key. */
  public static Optional<AgeRecipients> parse(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    List<String> keys = AgeKeyText.keys(text, PUBLIC_PREFIX, INPUT, false);
    List<String> distinct = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      String key = keys.get(i);
      check(key, i);
      if (!distinct.contains(key)) {
        distinct.add(key);
      }
    }
    return Optional.of(new AgeRecipients(distinct));
  }

  private static void check(String key, int index) {
    if (AgeKeyText.startsWithIgnoringCase(key, SECRET_PREFIX)) {
      throw new InputException(
          INPUT + ": " + AgeKeyText.ordinal(index) + " is a private key (AGE-SECRET-KEY-1...);"
              + " give its public key (age1..., the line '# public key:' of age-keygen's file)"
              + " and keep the private key out of the backup job");
    }
    if (!key.startsWith(PUBLIC_PREFIX)) {
      throw new InputException(
          INPUT + ": '" + key + "' is not an age X25519 public key (age1...);"
              + " other recipient types (ssh-ed25519, ssh-rsa, plugins) are not supported");
    }
    try {
      X25519RecipientStanzaWriterFactory.newRecipientStanzaWriter(key);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new InputException(
          INPUT + ": '" + key + "' is not a valid age public key (" + e.getMessage() + ")");
    }
  }

  /** One stanza writer per recipient, for the header of a new archive. */
  List<RecipientStanzaWriter> writers() {
    List<RecipientStanzaWriter> writers = new ArrayList<>();
    for (String key : publicKeys) {
      try {
        writers.add(X25519RecipientStanzaWriterFactory.newRecipientStanzaWriter(key));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("a key checked when parsed was refused: " + key, e);
      }
    }
    return writers;
  }
}
