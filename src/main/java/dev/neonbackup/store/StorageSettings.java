package dev.neonbackup.store;

import dev.neonbackup.report.Secret;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Where backups are stored and how to reach the store. Validated; immutable. */
public record StorageSettings(
    String bucket,
    String prefix,
    String region,
    Optional<URI> endpoint,
    boolean forcePathStyle,
    Optional<StaticCredentials> credentials,
    ChecksumMode checksumMode) {

  /** Keys given as inputs; when absent, the SDK's default chain (AWS_* variables, OIDC, ...). */
  public record StaticCredentials(
      String accessKeyId, Secret secretAccessKey, Optional<Secret> sessionToken) {
    @Override
    public String toString() {
      return "StaticCredentials[accessKeyId=" + accessKeyId + ", secret=***]";
    }
  }

  public boolean checksumsEnabled() {
    return checksumMode.enabled(endpoint.isPresent());
  }

  /** Everything here that must never be printed. */
  public List<Secret> secrets() {
    List<Secret> secrets = new ArrayList<>();
    credentials.ifPresent(
        c -> {
          secrets.add(c.secretAccessKey());
          c.sessionToken().ifPresent(secrets::add);
        });
    return secrets;
  }
}
