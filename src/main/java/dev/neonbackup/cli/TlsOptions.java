package dev.neonbackup.cli;

import picocli.CommandLine.Option;

/** How Neon hosts are reached over TLS; backup and restore both take it. */
public final class TlsOptions {
  // type = String: see StorageOptions.forcePathStyle.
  @Option(
      names = "--verify-tls",
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      type = String.class,
      converter = Converters.VerifyTls.class,
      description = "Verify a Neon host's TLS certificate (sslmode=verify-full); default true.")
  Boolean verifyTls;
}
