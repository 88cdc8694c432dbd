package dev.neonbackup.store.s3;

import dev.neonbackup.failure.StorageException;
import dev.neonbackup.store.ByteRange;
import dev.neonbackup.store.ObjectLocation;
import dev.neonbackup.store.ObjectStream;
import java.io.IOException;
import java.io.InputStream;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.SdkPlugin;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * One ranged GET, tried once: the caller retries each range on its own (and resumes it where it
 * stopped), so the client's own retries are switched off for it. A failure says whether another
 * attempt may get past it; an SDK failure while the body is read is an IOException, as a reset is.
 */
final class RangedGet {
  private static final SdkPlugin TRY_ONCE =
      config ->
          config.overrideConfiguration(
              config.overrideConfiguration().toBuilder().retryStrategy(r -> r.maxAttempts(1)).build());

  private RangedGet() {}

  static ObjectStream open(S3Client s3, ObjectLocation location, String versionId, ByteRange range) {
    GetObjectRequest request =
        GetObjectRequest.builder()
            .bucket(location.bucket())
            .key(location.key())
            .versionId(versionId)
            .range("bytes=" + range.offset() + "-" + range.lastByte())
            .overrideConfiguration(o -> o.addPlugin(TRY_ONCE))
            .build();
    ResponseInputStream<GetObjectResponse> body;
    try {
      body = s3.getObject(request);
    } catch (SdkException e) {
      String action = "read " + range + " of " + location.url();
      StorageException explained = StorageErrors.explain(action, location.bucket(), e);
      throw new StorageException(explained.getMessage(), e, retryable(e));
    }
    return new ObjectStream(new ClientErrorsAsIo(body)) {
      @Override
      public void abort() {
        body.abort();
      }
    };
  }

  /** 5xx, throttling and request timeouts may pass; a refusal (403, 404, 416) will not. */
  static boolean retryable(SdkException e) {
    if (e instanceof S3Exception) {
      int status = ((S3Exception) e).statusCode();
      return status >= 500 || status == 429 || status == 408;
    }
    return e instanceof SdkClientException && hasIoCause(e);
  }

  private static boolean hasIoCause(Throwable e) {
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof IOException) {
        return true;
      }
    }
    return false;
  }

  /** The SDK can throw its own unchecked exceptions from a body's read; they are I/O failures. */
  private static final class ClientErrorsAsIo extends InputStream {
    private final InputStream body;

    ClientErrorsAsIo(InputStream body) {
      this.body = body;
    }

    @Override
    public int read() throws IOException {
      try {
        return body.read();
      } catch (SdkException e) {
        throw new IOException(e.getMessage(), e);
      }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      try {
        return body.read(buffer, offset, length);
      } catch (SdkException e) {
        throw new IOException(e.getMessage(), e);
      }
    }

    @Override
    public void close() throws IOException {
      try {
        body.close();
      } catch (SdkException e) {
        throw new IOException(e.getMessage(), e);
      }
    }
  }
}
