package dev.neonbackup.store.s3;

import dev.neonbackup.failure.StorageException;
import dev.neonbackup.shutdown.ShutdownPath;
import dev.neonbackup.store.BackupStore;
import dev.neonbackup.store.ByteRange;
import dev.neonbackup.store.Deletion;
import dev.neonbackup.store.ObjectStream;
import dev.neonbackup.store.PendingUpload;
import dev.neonbackup.store.ServerSide;
import dev.neonbackup.store.StorageSettings;
import dev.neonbackup.store.StoredObject;
import dev.neonbackup.store.Upload;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
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
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
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
  /** Keys this view reads at a version of their own (see {@link #pinned}). */
  private final Map<String, String> versions;
  /**
   * When this run's objects are counted as created, for their Object Lock retain-until date: one
   * date for the archive, its manifest and the roles file, so that retention finds the manifest
   * unlocked when the archive is.
   */
  private final Instant lockFrom = Instant.now();
  /** False for a {@link #pinned} view: the store it was made from closes the client. */
  private final boolean ownsClient;

  public S3BackupStore(S3Client s3, String bucket, PartSizes partSizes, boolean checksums) {
    this(CompletableFuture.completedFuture(s3), bucket, partSizes, checksums, ServerSide.NONE, Map.of(), true);
  }

  private S3BackupStore(
      CompletableFuture<S3Client> client,
      String bucket,
      PartSizes partSizes,
      boolean checksums,
      ServerSide side,
      Map<String, String> versions,
      boolean ownsClient) {
    this.ownsClient = ownsClient;
    this.client = client;
    this.bucket = bucket;
    this.partSizes = partSizes;
    this.checksums = checksums;
    this.side = side;
    this.versions = Map.copyOf(versions);
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
        client,
        settings.bucket(),
        PartSizes.standard(),
        settings.checksumsEnabled(),
        settings.serverSide(),
        Map.of(),
        true);
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
      s3().headObject(head(key));
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
    return MultipartUploadStream.start(s3(), at(key), partSizes, checksums, side, lockFrom);
  }

  @Override
  public List<PendingUpload> pendingUploads(String key) {
    return PendingUploads.of(s3(), at(key));
  }

  @Override
  public boolean putIfAbsent(String key, byte[] content, String contentType) {
    PutObjectRequest.Builder request =
        PutObjectRequest.builder().bucket(bucket).key(key).contentType(contentType).ifNoneMatch("*");
    ServerSideHeaders.onSmallObject(request, side, lockFrom);
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
          .forEach(
              object ->
                  objects.add(
                      new StoredObject(
                          object.key(),
                          object.size(),
                          Optional.ofNullable(object.storageClassAsString()),
                          Optional.empty())));
    } catch (SdkException e) {
      throw failed("list", prefix, e);
    }
    return objects;
  }

  @Override
  public Optional<byte[]> read(String key) {
    try {
      return Optional.of(
          s3().getObjectAsBytes(get(key).build())
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
              get(key).range("bytes=0-" + (length - 1)).build())
          .asByteArray();
    } catch (SdkException e) {
      throw failed("read the head of", key, e);
    }
  }

  @Override
  public Optional<Long> size(String key) {
    try {
      return Optional.of(
          s3().headObject(head(key)).contentLength());
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
          s3().getObject(get(key).build());
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
    return RangedGet.open(s3(), at(key), versions.get(key), range);
  }

  @Override
  public Deletion delete(List<String> keys) {
    return new Versions(s3(), bucket).delete(keys, side.objectLock().isPresent());
  }

  @Override
  public List<StoredObject> hidden(String prefix) {
    return new Versions(s3(), bucket).hidden(prefix);
  }

  @Override
  public BackupStore pinned(Map<String, String> versionsByKey) {
    Map<String, String> all = new HashMap<>(versions);
    all.putAll(versionsByKey);
    return new S3BackupStore(client, bucket, partSizes, checksums, side, all, false);
  }

  @Override
  public Optional<Thaw> thaw(String key) {
    try {
      return Thaws.of(s3().headObject(head(key)));
    } catch (SdkException e) {
      throw failed("find", key, e);
    }
  }

  private HeadObjectRequest head(String key) {
    return HeadObjectRequest.builder().bucket(bucket).key(key).versionId(versions.get(key)).build();
  }

  private GetObjectRequest.Builder get(String key) {
    return GetObjectRequest.builder().bucket(bucket).key(key).versionId(versions.get(key));
  }

  /**
   * Closes the client, unless a signal is cancelling the run: its abort of the unfinished upload
   * still needs the client, and the process ends right after anyway.
   */
  @Override
  public void close() {
    if (ownsClient && !ShutdownPath.process().cancelling()) {
      client.thenAccept(S3Client::close);
    }
  }

  private StorageException failed(String action, String key, SdkException e) {
    return StorageErrors.explain(action + " " + at(key).url(), bucket, e);
  }
}
