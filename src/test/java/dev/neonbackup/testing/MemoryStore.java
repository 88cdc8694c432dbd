package dev.neonbackup.testing;

import dev.neonbackup.failure.StorageException;
import dev.neonbackup.store.BackupStore;
import dev.neonbackup.store.ByteRange;
import dev.neonbackup.store.Deletion;
import dev.neonbackup.store.ObjectStream;
import dev.neonbackup.store.PendingUpload;
import dev.neonbackup.store.StoredObject;
import dev.neonbackup.store.Upload;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The {@link BackupStore} port in memory, for unit tests: a sorted map of key to bytes, uploads
 * buffered until they complete. Like S3 with If-None-Match, completing refuses when an object
 * appeared at the key meanwhile. A test can make any operation fail with a {@link
 * StorageException} (every call, calls on matching keys, or only the n-th call), and can see every
 * object, every unfinished upload and every delete request.
 */
public final class MemoryStore implements BackupStore {
  /** What a test can make fail; {@code WRITE} is one write to an upload. */
  public enum Operation {
    EXISTS,
    START_UPLOAD,
    WRITE,
    COMPLETE,
    PENDING_UPLOADS,
    PUT_IF_ABSENT,
    LIST,
    READ,
    READ_HEAD,
    SIZE,
    OPEN,
    OPEN_RANGE,
    DELETE
  }

  /** How one ranged read can fail, as S3 and the network fail now and then (or for good). */
  public enum RangeFault {
    /** A retryable refusal before any byte, as a 503 SlowDown. */
    UNAVAILABLE,
    /** Half the bytes, then the connection is reset. */
    RESET,
    /** Half the bytes, then the body ends. */
    SHORT,
    /** A refusal no retry gets past, as a 403. */
    DENIED
  }

  private static final class RangeFaultRule {
    final long offset;
    final RangeFault fault;
    int timesLeft;

    RangeFaultRule(long offset, RangeFault fault, int times) {
      this.offset = offset;
      this.fault = fault;
      this.timesLeft = times;
    }
  }

  private record Fault(Operation operation, Predicate<String> keys, int nthCall) {
    boolean hits(Operation op, String key, int call) {
      return op == operation && keys.test(key) && (nthCall == 0 || nthCall == call);
    }
  }

  private final String bucket;
  private final TreeMap<String, byte[]> objects = new TreeMap<>();
  private final List<MemoryUpload> unfinished = new ArrayList<>();
  private final List<List<String>> deleteRequests = new ArrayList<>();
  private final Map<String, String> refusedDeletes = new java.util.HashMap<>();
  private final List<Fault> faults = new ArrayList<>();
  private final Map<Operation, Integer> calls = new EnumMap<>(Operation.class);
  private final List<RangeFaultRule> rangeFaults = new ArrayList<>();
  private final List<ByteRange> rangeRequests = new ArrayList<>();
  private int uploadsStarted;

  public MemoryStore() {
    this("memory-bucket");
  }

  public MemoryStore(String bucket) {
    this.bucket = bucket;
  }

  /** Every call of {@code operation} fails. */
  public synchronized MemoryStore fail(Operation operation) {
    return fail(operation, key -> true);
  }

  /** Calls of {@code operation} on keys (or, for LIST, prefixes) that {@code keys} accepts fail. */
  public synchronized MemoryStore fail(Operation operation, Predicate<String> keys) {
    faults.add(new Fault(operation, keys, 0));
    return this;
  }

  /** Only the {@code n}-th call of {@code operation} (counting from 1, over all keys) fails. */
  public synchronized MemoryStore failNth(Operation operation, int n) {
    faults.add(new Fault(operation, key -> true, n));
    return this;
  }

  /**
   * The next {@code times} ranged reads that start at {@code offset} fail with {@code fault}
   * ({@code Integer.MAX_VALUE}: every one).
   */
  public synchronized MemoryStore failRange(long offset, RangeFault fault, int times) {
    rangeFaults.add(new RangeFaultRule(offset, fault, times));
    return this;
  }

  /** How many times {@code operation} was called, whether it failed or not. */
  public synchronized int calls(Operation operation) {
    return calls.getOrDefault(operation, 0);
  }

  /** Every range asked for through {@link #openRange}, in the order asked. */
  public synchronized List<ByteRange> rangeRequests() {
    return List.copyOf(rangeRequests);
  }

  /** Puts an object there directly, as another run or another tool would have. */
  public synchronized void put(String key, byte[] content) {
    objects.put(key, content.clone());
  }

  /** Every key that holds an object, in key order. */
  /** How many uploads were ever started, finished or not. */
  public synchronized int uploadsStarted() {
    return uploadsStarted;
  }

  public synchronized List<String> keys() {
    return List.copyOf(objects.keySet());
  }

  /** The object at {@code key}; fails the test when there is none. */
  public synchronized byte[] object(String key) {
    byte[] content = objects.get(key);
    if (content == null) {
      throw new AssertionError("no object at " + key + "; the store holds " + objects.keySet());
    }
    return content.clone();
  }

  /** The keys of the uploads started and neither completed nor aborted, oldest first. */
  public synchronized List<String> unfinishedUploads() {
    return unfinished.stream().map(MemoryUpload::key).toList();
  }

  /** The keys of each delete request, in the order they came. */
  public synchronized List<List<String>> deleteRequests() {
    return List.copyOf(deleteRequests);
  }

  @Override
  public String bucket() {
    return bucket;
  }

  @Override
  public synchronized boolean exists(String key) {
    check(Operation.EXISTS, key);
    return objects.containsKey(key);
  }

  @Override
  public synchronized Upload startUpload(String key) {
    check(Operation.START_UPLOAD, key);
    uploadsStarted++;
    MemoryUpload upload =
        new MemoryUpload(key, "upload-" + uploadsStarted, Instant.EPOCH.plusSeconds(uploadsStarted));
    unfinished.add(upload);
    return upload;
  }

  @Override
  public synchronized List<PendingUpload> pendingUploads(String key) {
    check(Operation.PENDING_UPLOADS, key);
    return unfinished.stream()
        .filter(upload -> upload.key().equals(key))
        .map(upload -> new PendingUpload(upload.id(), upload.initiated))
        .toList();
  }

  @Override
  public synchronized boolean putIfAbsent(String key, byte[] content, String contentType) {
    check(Operation.PUT_IF_ABSENT, key);
    byte[] there = objects.putIfAbsent(key, content.clone());
    return there == null || Arrays.equals(there, content);
  }

  @Override
  public synchronized List<StoredObject> list(String prefix) {
    check(Operation.LIST, prefix);
    return objects.tailMap(prefix).entrySet().stream()
        .takeWhile(entry -> entry.getKey().startsWith(prefix))
        .map(entry -> new StoredObject(entry.getKey(), entry.getValue().length))
        .toList();
  }

  @Override
  public synchronized Optional<byte[]> read(String key) {
    check(Operation.READ, key);
    return Optional.ofNullable(objects.get(key)).map(byte[]::clone);
  }

  @Override
  public synchronized byte[] readHead(String key, int length) {
    check(Operation.READ_HEAD, key);
    byte[] content = existing(key, "read the head of");
    return Arrays.copyOf(content, Math.min(length, content.length));
  }

  @Override
  public synchronized Optional<Long> size(String key) {
    check(Operation.SIZE, key);
    return Optional.ofNullable(objects.get(key)).map(content -> (long) content.length);
  }

  @Override
  public synchronized ObjectStream open(String key) {
    check(Operation.OPEN, key);
    return new ObjectStream(new ByteArrayInputStream(existing(key, "read"))) {
      @Override
      public void abort() {
        // nothing to drop: the bytes are in memory
      }
    };
  }

  /**
   * Like S3: a range that starts past the end is refused for good; one that runs past it gets the
   * bytes there are.
   */
  @Override
  public synchronized ObjectStream openRange(String key, ByteRange range) {
    rangeRequests.add(range);
    check(Operation.OPEN_RANGE, key);
    byte[] content = existing(key, "read");
    if (range.offset() >= content.length) {
      throw new StorageException(
          "could not read " + range + " of " + at(key).url() + ": S3 answered HTTP 416 InvalidRange",
          null);
    }
    int end = (int) Math.min(content.length, range.end());
    byte[] bytes = Arrays.copyOfRange(content, (int) range.offset(), end);
    RangeFault fault = nextRangeFault(range.offset());
    if (fault == null) {
      return memoryStream(new ByteArrayInputStream(bytes));
    }
    String what = range + " of " + at(key).url();
    switch (fault) {
      case UNAVAILABLE:
        throw new StorageException(
            "could not read " + what + ": S3 answered HTTP 503 SlowDown (injected)", null, true);
      case DENIED:
        throw new StorageException(
            "could not read " + what + ": access denied (injected)", null, false);
      case SHORT:
        return memoryStream(new ByteArrayInputStream(bytes, 0, bytes.length / 2));
      default:
        return memoryStream(resetAfter(bytes, bytes.length / 2));
    }
  }

  private RangeFault nextRangeFault(long offset) {
    for (RangeFaultRule rule : rangeFaults) {
      if (rule.offset == offset && rule.timesLeft > 0) {
        rule.timesLeft--;
        return rule.fault;
      }
    }
    return null;
  }

  private static ObjectStream memoryStream(InputStream in) {
    return new ObjectStream(in) {
      @Override
      public void abort() {
        // nothing to drop: the bytes are in memory
      }
    };
  }

  /** The first {@code good} bytes, then an IOException as from a reset connection. */
  private static InputStream resetAfter(byte[] bytes, int good) {
    return new InputStream() {
      private int position;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        if (position >= good) {
          throw new IOException("Connection reset (injected)");
        }
        int n = Math.min(length, good - position);
        System.arraycopy(bytes, position, buffer, offset, n);
        position += n;
        return n;
      }
    };
  }

  /**
   * Deletes the keys, except those {@link #refuseDelete} keeps; when one of them is made to fail,
   * none.
   */
  @Override
  public synchronized Deletion delete(List<String> keys) {
    deleteRequests.add(List.copyOf(keys));
    keys.forEach(key -> check(Operation.DELETE, key));
    Map<String, String> kept = new java.util.LinkedHashMap<>();
    List<String> deleted = new ArrayList<>();
    for (String key : keys) {
      if (refusedDeletes.containsKey(key)) {
        kept.put(key, refusedDeletes.get(key));
      } else {
        objects.remove(key);
        deleted.add(key);
      }
    }
    return new Deletion(deleted, kept);
  }

  /** Plays S3 refusing to delete {@code key} (a lock, a policy), with {@code reason}. */
  public synchronized void refuseDelete(String key, String reason) {
    refusedDeletes.put(key, reason);
  }

  @Override
  public void close() {}

  private void check(Operation operation, String key) {
    int call = calls.merge(operation, 1, Integer::sum);
    for (Fault fault : faults) {
      if (fault.hits(operation, key, call)) {
        throw new StorageException(
            operation.name().toLowerCase(Locale.ROOT) + " " + at(key).url() + " failed: injected fault", null);
      }
    }
  }

  private byte[] existing(String key, String action) {
    byte[] content = objects.get(key);
    if (content == null) {
      throw new StorageException("could not " + action + " " + at(key).url() + ": no such key", null);
    }
    return content;
  }

  private synchronized void publish(MemoryUpload upload, byte[] content) {
    check(Operation.COMPLETE, upload.key());
    if (objects.containsKey(upload.key())) {
      throw new StorageException(
          "could not publish " + at(upload.key()).url() + ": another object appeared at that key",
          null);
    }
    objects.put(upload.key(), content);
    unfinished.remove(upload);
  }

  private synchronized void drop(MemoryUpload upload) {
    unfinished.remove(upload);
  }

  /** One upload: its bytes stay here until it completes. */
  private final class MemoryUpload extends Upload {
    private final String key;
    private final String id;
    private final Instant initiated;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private boolean finished;

    MemoryUpload(String key, String id, Instant initiated) {
      this.key = key;
      this.id = id;
      this.initiated = initiated;
    }

    String key() {
      return key;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public void write(byte[] data, int offset, int length) throws IOException {
      ensureOpen();
      synchronized (MemoryStore.this) {
        check(Operation.WRITE, key);
      }
      buffer.write(data, offset, length);
    }

    @Override
    public void complete() throws IOException {
      ensureOpen();
      publish(this, buffer.toByteArray());
      finished = true;
    }

    @Override
    public void abort() {
      finished = true;
      drop(this);
    }

    private void ensureOpen() throws IOException {
      if (finished) {
        throw new IOException("the upload to " + at(key).url() + " is already finished");
      }
    }
  }
}
