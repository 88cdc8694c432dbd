package dev.neonbackup.store.s3;

import dev.neonbackup.store.StorageSettings;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.LegacyMd5Plugin;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/** Builds the one S3 client a run uses, from validated settings. */
public final class S3Clients {
  /** Attempts per request: rides out a few 500/503 answers (with the SDK's backoff). */
  static final int MAX_ATTEMPTS = 6;

  private S3Clients() {}

  public static S3Client create(StorageSettings settings) {
    S3ClientBuilder builder =
        S3Client.builder()
            .region(Region.of(settings.region()))
            .credentialsProvider(credentials(settings))
            .forcePathStyle(settings.forcePathStyle())
            .httpClientBuilder(
                Apache5HttpClient.builder()
                    .maxConnections(16)
                    .connectionTimeout(Duration.ofSeconds(10))
                    .socketTimeout(Duration.ofSeconds(120)))
            .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(MAX_ATTEMPTS)))
            // Bodies go as they are: aws-chunked encoding (the SDK's default for parts, with a
            // signature per chunk over plain HTTP) allocates a new array for every 128 KiB sent.
            // Parts carry their CRC32 in a header instead (PartQueue).
            .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build());
    if (settings.checksumsEnabled()) {
      builder
          .requestChecksumCalculation(RequestChecksumCalculation.WHEN_SUPPORTED)
          .responseChecksumValidation(ResponseChecksumValidation.WHEN_SUPPORTED);
    } else {
      // Stores that predate flexible checksums still want Content-MD5 on multi-object deletes.
      builder
          .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
          .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
          .addPlugin(LegacyMd5Plugin.create());
    }
    settings.endpoint().ifPresent(builder::endpointOverride);
    return builder.build();
  }

  private static AwsCredentialsProvider credentials(StorageSettings settings) {
    if (settings.role().isPresent()) {
      return AssumedRoleCredentials.start(settings.role().get(), settings.region());
    }
    if (settings.credentials().isEmpty()) {
      return DefaultCredentialsProvider.builder().build();
    }
    StorageSettings.StaticCredentials given = settings.credentials().get();
    AwsCredentials credentials =
        given.sessionToken().isPresent()
            ? AwsSessionCredentials.create(
                given.accessKeyId(),
                given.secretAccessKey().reveal(),
                given.sessionToken().get().reveal())
            : AwsBasicCredentials.create(given.accessKeyId(), given.secretAccessKey().reveal());
    return StaticCredentialsProvider.create(credentials);
  }
}
