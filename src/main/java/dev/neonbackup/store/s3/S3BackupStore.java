package dev.neonbackup.store.s3;

import dev.neonbackup.failure.StorageException;
import dev.neonbackup.shutdown.ShutdownPath;
import dev.neonbackup.store.BackupStore;
import dev.neonbackup.store.ByteRange;
import dev.neonbackup.store.ObjectStream;
import dev.neonbackup.store.PendingUpload;
import dev.neonbackup.store.ServerSide;
import dev.neonbackup.store.StorageSettings;
import dev.neonbackup.store.StoredObject;
import dev.neonbackup.store.Upload;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The {@link BackupStore} on S3 or an S3-compatible server, through the AWS SDK v2. */
public final class S3BackupStore implements BackupStore {
  private final CompletableFuture<S3Client> client;
  private final String bucket;
  private final PartSizes partSizes;
  private final boolean checksums;
  private final ServerSide side;

  public S3BackupStore(S3Client s3, String bucket, PartSizes partSizes, boolean checksums) {
    this(CompletableFuture.completedFuture(s3), bucket, partSizes, checksums, ServerSide.NONE);
  }

  private S3BackupStore(
      CompletableFuture<S3Client> client,
      String bucket,
      PartSizes partSizes,
      boolean checksums,
      ServerSide side) {
    this.client = client;
    this.bucket = bucket;
    this.partSizes = partSizes;
    this.checksums = checksums;
    this.side = side;
  }

  /**
   * The store a run uses, from validated settings; closing it closes its client. The client is
   * built on a thread of its own (the SDK takes a second or more of CPU to set up), so that the
   * run's work on the database side overlaps it; the first call that needs it waits for it.
   */
  public static S3BackupStore open(StorageSettings settings) {
    CompletableFuture<S3Client> client = new CompletableFuture<>();
    Thread builder =
        new Thread(
            () -> {
              try {
                client.complete(S3Clients.create(settings));
              } catch (RuntimeException | Error e) {
                client.completeExceptionally(e);
              }
            },
            "s3-client-setup");
    builder.setDaemon(true);
    builder.start();
    return new S3BackupStore(
        client, settings.bucket(), PartSizes.standard(), settings.checksumsEnabled(), settings.serverSide());
  }

  /** The client, once built; a failure to build it is thrown as it was. */
  private S3Client s3() {
    try {
      return client.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException) {
        throw (RuntimeException) e.getCause();
      }
      if (e.getCause() instanceof Error) {
        throw (Error) e.getCause();
      }
      throw e;
    }
  }

  @Override
  public String bucket() {
    return bucket;
  }

  @Override
  public boolean exists(String key) {
    try {
      s3().headObject(HeadObjectRequest.builder().bucket(bucket).key(key).build());
      return true;
    } catch (S3Exception e) {
      if (e.statusCode() == 404 || e.statusCode() == 403) {
        // 403: without s3:ListBucket a missing key looks forbidden; If-None-Match still guards.
        return false;
      }
      throw failed("check", key, e);
    } catch (SdkException e) {
      throw failed("check", key, e);
    }
  }

  @Override
  public Upload startUpload(String key) {
    return MultipartUploadStream.start(s3(), at(key), partSizes, checksums, side);
  }

  @Override
  public List<PendingUpload> pendingUploads(String key) {
    List<MultipartUpload> uploads;
    try {
      uploads =
          s3().listMultipartUploads(
                  ListMultipartUploadsRequest.builder().bucket(bucket).prefix(key).build())
              .uploads();
    } catch (S3Exception e) {
      if (e.statusCode() == 403 || e.statusCode() == 501) {
        return List.of(); // not allowed or not supported: If-None-Match alone guards
      }
      throw failed("list uploads to", key, e);
    } catch (SdkException e) {
      throw failed("list uploads to", key, e);
    }
    return uploads.stream()
        .filter(u -> u.key().equals(key))
        .map(u -> new PendingUpload(u.uploadId(), u.initiated() == null ? Instant.EPOCH : u.initiated()))
        .sorted(Comparator.comparing(PendingUpload::initiated).thenComparing(PendingUpload::id))
        .toList();
  }

  @Override
  public boolean putIfAbsent(String key, byte[] content, String contentType) {
    PutObjectRequest.Builder request =
        PutObjectRequest.builder().bucket(bucket).key(key).contentType(contentType).ifNoneMatch("*");
    ServerSideHeaders.onSmallObject(request, side, Instant.now());
    try {
      s3().putObject(request.build(), RequestBody.fromBytes(content));
      return true;
    } catch (SdkException e) {
      if (IfNoneMatch.refused(e)) {
        return IfNoneMatch.holdsSameBytes(this, key, content);
      }
      throw failed("store", key, e);
    }
  }

  @Override
  public List<StoredObject> list(String prefix) {
    List<StoredObject> objects = new ArrayList<>();
    try {
      s3().listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build())
          .contents()
          .forEach(object -> objects.add(new StoredObject(object.key(), object.size())));
    } catch (SdkException e) {
      throw failed("list", prefix, e);
    }
    return objects;
  }

  @Override
  public Optional<byte[]> read(String key) {
    try {
      return Optional.of(
          s3().getObjectAsBytes(GetObjectRequest.builder().bucket(bucket).key(key).build())
              .asByteArray());
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (SdkException e) {
      throw failed("read", key, e);
    }
  }

  @Override
  public byte[] readHead(String key, int length) {
    try {
      return s3().getObjectAsBytes(
              GetObjectRequest.builder().bucket(bucket).key(key).range("bytes=0-" + (length - 1)).build())
          .asByteArray();
    } catch (SdkException e) {
      throw failed("read the head of", key, e);
    }
  }

  @Override
  public Optional<Long> size(String key) {
    try {
      return Optional.of(
          s3().headObject(HeadObjectRequest.builder().bucket(bucket).key(key).build()).contentLength());
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw failed("find", key, e);
    } catch (SdkException e) {
      throw failed("find", key, e);
    }
  }

  @Override
  public ObjectStream open(String key) {
    try {
      ResponseInputStream<GetObjectResponse> object =
          s3().getObject(GetObjectRequest.builder().bucket(bucket).key(key).build());
      return new ObjectStream(object) {
        @Override
        public void abort() {
          object.abort();
        }
      };
    } catch (SdkException e) {
      throw failed("read", key, e);
    }
  }

  @Override
  public ObjectStream openRange(String key, ByteRange range) {
    return RangedGet.open(s3(), at(key), range);
  }

  @Override
  public void delete(List<String> keys) {
    BatchDelete.run(s3(), bucket, keys);
  }

  /**
   * Closes the client, unless a signal is cancelling the run: its abort of the unfinished upload
   * still needs the client, and the process ends right after anyway.
   */
  @Override
  public void close() {
    if (!ShutdownPath.process().cancelling()) {
      client.thenAccept(S3Client::close);
    }
  }

  private StorageException failed(String action, String key, SdkException e) {
    return StorageErrors.explain(action + " " + at(key).url(), bucket, e);
  }
}
