package dev.neonbackup.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.exceptionfactory.jagged.x25519.X25519KeyPairGenerator;
import dev.neonbackup.failure.FailureException;
import dev.neonbackup.failure.FailureKind;
import dev.neonbackup.failure.InputException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The age inputs as users write them, and the streams as backup and restore use them. */
class AgeKeysTest {
  private static final KeyPair ALICE = newPair();
  private static final KeyPair BOB = newPair();

  private static KeyPair newPair() {
    try {
      return new X25519KeyPairGenerator().generateKeyPair();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String publicKey(KeyPair pair) {
    return pair.getPublic().toString();
  }

  private static String privateKey(KeyPair pair) {
    return pair.getPrivate().toString();
  }

  @Test
  void recipients_are_split_on_commas_spaces_and_newlines_and_kept_once_each() {
    String text = publicKey(ALICE) + ",  " + publicKey(BOB) + "\n" + publicKey(ALICE) + "\n";
    assertEquals(
        List.of(publicKey(ALICE), publicKey(BOB)), AgeRecipients.parse(text).get().publicKeys());
    assertEquals(Optional.empty(), AgeRecipients.parse("  \n"));
  }

  @Test
  void a_recipients_file_with_comments_as_age_keygen_writes_them_is_read(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("recipients.txt");
    Files.writeString(file, "# ops laptop\n" + publicKey(ALICE) + "\n\n# escrow\n" + publicKey(BOB) + " # offline\n");
    assertEquals(
        List.of(publicKey(ALICE), publicKey(BOB)),
        AgeRecipients.parse(" " + file + "\n").get().publicKeys());
  }

  @Test
  void a_private_key_given_as_recipient_is_refused_without_printing_it() {
    for (String secret : List.of(privateKey(ALICE), privateKey(ALICE).toLowerCase())) {
      InputException refused =
          assertThrows(InputException.class, () -> AgeRecipients.parse(publicKey(BOB) + "," + secret));
      assertTrue(refused.getMessage().startsWith("age-recipients: the 2nd key is a private key"), refused.getMessage());
      assertFalse(refused.getMessage().contains(secret.substring(20)), "the key is not echoed");
    }
  }

  @Test
  void other_recipient_types_and_mangled_keys_are_refused_naming_the_input() {
    // A different character at position 20, whatever ALICE's key has there (a fixed "x" would be
    // no change at all one time in 32).
    String key = publicKey(ALICE);
    String mangled = key.substring(0, 20) + (key.charAt(20) == 'x' ? 'y' : 'x') + key.substring(21);
    for (String wrong :
        List.of("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB age1", mangled, publicKey(ALICE).toUpperCase(), "age1")) {
      InputException refused = assertThrows(InputException.class, () -> AgeRecipients.parse(wrong));
      assertTrue(refused.getMessage().startsWith("age-recipients: "), refused.getMessage());
    }
    InputException missing =
        assertThrows(InputException.class, () -> AgeRecipients.parse("/no/such/recipients.txt"));
    assertTrue(missing.getMessage().contains("no file is at /no/such/recipients.txt"), missing.getMessage());
  }

  @Test
  void an_identity_is_a_key_a_whole_identity_file_pasted_or_its_path(@TempDir Path dir)
      throws IOException {
    String file = "# created: 2026-11-30T00:00:00Z\n# public key: " + publicKey(ALICE) + "\n" + privateKey(ALICE) + "\n";
    Path path = dir.resolve("key.txt");
    Files.writeString(path, file);
    for (String text : List.of(privateKey(ALICE), file, path.toString())) {
      AgeIdentity identity = AgeIdentity.parse(text).get();
      assertEquals(List.of(publicKey(ALICE)), identity.publicKeys(), text);
      assertEquals(privateKey(ALICE), identity.secrets().get(0).reveal());
      assertFalse(identity.toString().contains(privateKey(ALICE)));
    }
  }

  @Test
  void a_wrong_identity_input_is_refused_naming_the_input_and_never_echoed() {
    String mangled = privateKey(ALICE).substring(0, 30) + "QQQ" + privateKey(ALICE).substring(33);
    String typo = "AGE-SECRET-KEY" + privateKey(ALICE).substring(16); // "-1" left out
    for (String wrong : List.of(mangled, typo, publicKey(ALICE), "/no/such/" + mangled)) {
      InputException refused = assertThrows(InputException.class, () -> AgeIdentity.parse(wrong));
      assertTrue(refused.getMessage().startsWith("age-identity"), refused.getMessage());
      assertFalse(refused.getMessage().contains(mangled.substring(20)), refused.getMessage());
      assertFalse(refused.getMessage().contains(typo.substring(20)), refused.getMessage());
    }
  }

  @Test
  void what_is_encrypted_to_two_recipients_decrypts_with_either_and_not_with_a_stranger()
      throws IOException {
    byte[] plaintext = new byte[300_000];
    new Random(7).nextBytes(plaintext);
    byte[] encrypted = encrypt(plaintext, publicKey(ALICE) + " " + publicKey(BOB));
    for (KeyPair pair : List.of(ALICE, BOB)) {
      assertArrayEquals(plaintext, decrypt(encrypted, pair, List.of()));
    }
    KeyPair stranger = newPair();
    FailureException refused =
        assertThrows(
            FailureException.class,
            () -> decrypt(encrypted, stranger, List.of(publicKey(ALICE), publicKey(BOB))));
    assertEquals(FailureKind.RESTORE, refused.kind());
    assertTrue(refused.getMessage().contains("is none of them"), refused.getMessage());
  }

  @Test
  void an_unfinished_stream_does_not_authenticate_so_a_cut_archive_is_never_taken_for_whole()
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AgeEncryptingStream stream = AgeEncryptingStream.to(out, AgeRecipients.parse(publicKey(ALICE)).get());
    stream.write(new byte[200_000]);
    stream.close(); // a failed run closes without finishing
    FailureException refused =
        assertThrows(FailureException.class, () -> decrypt(out.toByteArray(), ALICE, List.of()));
    assertEquals(FailureKind.VERIFY, refused.kind());
    assertTrue(refused.getMessage().contains("failed age authentication"), refused.getMessage());
  }

  @Test
  void a_flipped_bit_anywhere_after_the_header_is_exit_6() throws IOException {
    byte[] encrypted = encrypt(new byte[150_000], publicKey(ALICE));
    for (int at : List.of(encrypted.length - 1, encrypted.length / 2, 300)) {
      byte[] changed = encrypted.clone();
      changed[at] ^= 0x40;
      FailureException refused =
          assertThrows(FailureException.class, () -> decrypt(changed, ALICE, List.of(publicKey(ALICE))));
      assertEquals(FailureKind.VERIFY, refused.kind(), "byte " + at + ": " + refused.getMessage());
    }
  }

  private static byte[] encrypt(byte[] plaintext, String recipients) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AgeEncryptingStream stream = AgeEncryptingStream.to(out, AgeRecipients.parse(recipients).get());
    stream.write(plaintext, 0, plaintext.length);
    stream.finish();
    return out.toByteArray();
  }

  private static byte[] decrypt(byte[] encrypted, KeyPair pair, List<String> recipients)
      throws IOException {
    AgeDecryption decryption =
        new AgeDecryption(AgeIdentity.parse(privateKey(pair)).get(), recipients, "s3://b/k.dump.age");
    try (InputStream in = decryption.open(new ByteArrayInputStream(encrypted))) {
      return in.readAllBytes();
    }
  }
}
