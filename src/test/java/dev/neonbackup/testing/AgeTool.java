package dev.neonbackup.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The stock age tool (Debian's {@code age}, 1.1): makes key pairs with {@code age-keygen}, and
 * encrypts and decrypts files, so that our archives are checked against it in both directions.
 * Installs the package when it is missing ({@code .ci/setup} installs it too).
 */
public final class AgeTool {
  private static final Path AGE = Path.of("/usr/bin/age");
  private static final Path KEYGEN = Path.of("/usr/bin/age-keygen");

  private AgeTool() {}

  /** A key pair made by age-keygen: its identity file, public key and private key. */
  public record KeyPair(Path identityFile, String publicKey, String privateKey) {}

  public static KeyPair newKeyPair(Path dir) {
    installed();
    Path file = dir.resolve("key-" + System.nanoTime() + ".txt");
    run(List.of(KEYGEN.toString(), "-o", file.toString()));
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      String publicKey =
          lines.stream()
              .filter(l -> l.startsWith("# public key: "))
              .findFirst()
              .orElseThrow()
              .substring("# public key: ".length());
      String privateKey =
          lines.stream().filter(l -> l.startsWith("AGE-SECRET-KEY-1")).findFirst().orElseThrow();
      return new KeyPair(file, publicKey, privateKey);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code age -d -i identity -o out in}. */
  public static void decrypt(Path identityFile, Path in, Path out) {
    installed();
    run(List.of(AGE.toString(), "-d", "-i", identityFile.toString(), "-o", out.toString(), in.toString()));
  }

  /** {@code age -r recipient -o out in}. */
  public static void encrypt(String recipient, Path in, Path out) {
    installed();
    run(List.of(AGE.toString(), "-r", recipient, "-o", out.toString(), in.toString()));
  }

  private static synchronized void installed() {
    if (Files.isExecutable(AGE) && Files.isExecutable(KEYGEN)) {
      return;
    }
    List<String> install = new ArrayList<>();
    if (!"root".equals(System.getProperty("user.name"))) {
      install.addAll(List.of("sudo", "-n"));
    }
    install.addAll(List.of("apt-get", "install", "-y", "-qq", "--no-install-recommends", "age"));
    run(install);
  }

  private static void run(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
