package dev.neonbackup.testing;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/** Random names and secrets for the test servers. */
final class Randoms {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String LOWER = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  /**
   * Characters that a connection URI must percent-encode in the userinfo part, or that careless
   * decoders mangle ({@code +} into a space, {@code %} into garbage). Every password has them all.
   */
  static final String URL_SPECIALS = "@:/%?#&=+";

  private Randoms() {}

  static String lowercase(int length) {
    return pick(LOWER, length);
  }

  static String alphanumeric(int length) {
    return pick(ALNUM, length);
  }

  /** A password of random letters and digits with every one of {@link #URL_SPECIALS} mixed in. */
  static String password() {
    List<Character> chars = new ArrayList<>();
    for (char c : alphanumeric(16).toCharArray()) {
      chars.add(c);
    }
    for (char c : URL_SPECIALS.toCharArray()) {
      chars.add(1 + RANDOM.nextInt(chars.size()), c);
    }
    StringBuilder password = new StringBuilder();
    chars.forEach(password::append);
    return password.toString();
  }

  private static String pick(String alphabet, int length) {
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return out.toString();
  }
}
