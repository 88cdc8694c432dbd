package dev.neonbackup.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A certificate authority of the tests' own: it signs a server certificate for Neon-like host
 * names and, when asked, is trusted system-wide the way Debian trusts a local CA (a file in
 * /usr/local/share/ca-certificates, then {@code update-ca-certificates}, which rebuilds
 * /etc/ssl/certs and its bundle). Needs root for that; {@link #untrust} undoes it.
 */
final class TestCertificateAuthority {
  private static final Path LOCAL_CAS = Path.of("/usr/local/share/ca-certificates");
  private static final long TIMEOUT_SECONDS = 60;

  private final Path dir;
  private final String name;
  private Path trusted;

  private TestCertificateAuthority(Path dir, String name) {
    this.dir = dir;
    this.name = name;
  }

  /** A new CA (key and self-signed certificate, valid two days) in {@code dir}. */
  static TestCertificateAuthority create(Path dir, String name) {
    TestCertificateAuthority ca = new TestCertificateAuthority(dir, name);
    openssl(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-keyout", ca.key().toString(), "-out", ca.certificate().toString(),
        "-subj", "/CN=neon-backup test CA " + name,
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    return ca;
  }

  /** Writes a server certificate signed by this CA for {@code hostNames} (the first is the CN). */
  void signServer(Path certificate, Path key, List<String> hostNames) {
    openssl(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-CA", certificate().toString(), "-CAkey", key().toString(),
        "-keyout", key.toString(), "-out", certificate.toString(),
        "-subj", "/CN=" + hostNames.get(0),
        "-addext", "basicConstraints=critical,CA:FALSE",
        "-addext", "extendedKeyUsage=serverAuth",
        "-addext",
        "subjectAltName="
            + hostNames.stream().map(h -> "DNS:" + h).collect(Collectors.joining(",")));
  }

  /** Adds this CA to the system's roots (libpq's sslrootcert=system and the CA bundle). */
  synchronized void trustSystemWide() {
    try {
      Files.createDirectories(LOCAL_CAS);
      trusted = LOCAL_CAS.resolve("neon-backup-test-" + name + ".crt");
      Files.copy(certificate(), trusted);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    NeonLikeEndpoint.run(List.of("update-ca-certificates"), Map.of(), TIMEOUT_SECONDS);
  }

  /** Takes this CA out of the system's roots again, if it was put there. */
  synchronized void untrust() {
    if (trusted == null) {
      return;
    }
    try {
      Files.deleteIfExists(trusted);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    trusted = null;
    NeonLikeEndpoint.run(List.of("update-ca-certificates"), Map.of(), TIMEOUT_SECONDS);
  }

  private Path certificate() {
    return dir.resolve("test-ca.crt");
  }

  private Path key() {
    return dir.resolve("test-ca.key");
  }

  private static void openssl(String... arguments) {
    List<String> command = new java.util.ArrayList<>(List.of("openssl"));
    command.addAll(List.of(arguments));
    NeonLikeEndpoint.run(command, Map.of(), TIMEOUT_SECONDS);
  }
}
