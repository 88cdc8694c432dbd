package dev.neonbackup.crypto;

import com.exceptionfactory.jagged.RecipientStanzaReader;
import com.exceptionfactory.jagged.x25519.X25519KeyFactory;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaReaderFactory;
import dev.neonbackup.failure.InputException;
import dev.neonbackup.report.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code age-identity} input of a restore: one or more age X25519 private keys ({@code
 * AGE-SECRET-KEY-1...}), given inline (a secret, masked in the log) or as the path of an identity
 * file. The keys never reach a message; their public keys may.
 */
public final class AgeIdentity {
  public static final String INPUT = "age-identity";

  private final List<Secret> privateKeys;
  private final List<String> publicKeys;

  private AgeIdentity(List<Secret> privateKeys, List<String> publicKeys) {
    this.privateKeys = List.copyOf(privateKeys);
    this.publicKeys = List.copyOf(publicKeys);
  }

  /** Empty for a blank input; a clear error naming the input (and no key) for anything else. */
  public static Optional<AgeIdentity> parse(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    List<String> keys = AgeKeyText.keys(text, AgeRecipients.SECRET_PREFIX, INPUT, true);
    List<Secret> secrets = new ArrayList<>();
    List<String> publics = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      String key = keys.get(i);
      if (key.startsWith(AgeRecipients.PUBLIC_PREFIX)) {
        throw new InputException(
            INPUT + ": " + AgeKeyText.ordinal(i) + " is a public key (age1...); restoring needs"
                + " the private key, the AGE-SECRET-KEY-1... line of age-keygen's file");
      }
      publics.add(publicKeyOf(key, i));
      secrets.add(Secret.of(key));
    }
    return Optional.of(new AgeIdentity(secrets, publics));
  }

  private static String publicKeyOf(String key, int index) {
    try {
      return new X25519KeyFactory()
          .translateKey(new SecretKeySpec(key.getBytes(StandardCharsets.US_ASCII), "X25519"))
          .toString();
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new InputException(
          INPUT + ": " + AgeKeyText.ordinal(index)
              + " is not an age X25519 private key (AGE-SECRET-KEY-1...)");
    }
  }

  /** The public keys of these identities: what a manifest's recipients are compared with. */
  public List<String> publicKeys() {
    return publicKeys;
  }

  /** For masking. */
  public List<Secret> secrets() {
    return privateKeys;
  }

  List<RecipientStanzaReader> readers() {
    List<RecipientStanzaReader> readers = new ArrayList<>();
    for (Secret key : privateKeys) {
      try {
        readers.add(X25519RecipientStanzaReaderFactory.newRecipientStanzaReader(key.reveal()));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("a key checked when parsed was refused", e);
      }
    }
    return readers;
  }

  @Override
  public String toString() {
    return "age identities for " + publicKeys;
  }
}
