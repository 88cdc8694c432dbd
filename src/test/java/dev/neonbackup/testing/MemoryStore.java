package dev.neonbackup.testing;

import dev.neonbackup.failure.StorageException;
import dev.neonbackup.store.BackupStore;
import dev.neonbackup.store.ObjectStream;
import dev.neonbackup.store.PendingUpload;
import dev.neonbackup.store.StoredObject;
import dev.neonbackup.store.Upload;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
    DELETE
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
  private final List<Fault> faults = new ArrayList<>();
  private final Map<Operation, Integer> calls = new EnumMap<>(Operation.class);
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

  /** Puts an object there directly, as another run or another tool would have. */
  public synchronized void put(String key, byte[] content) {
    objects.put(key, content.clone());
  }

  /** Every key that holds an object, in key order. */
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

  /** Deletes all the keys, or, when one of them is made to fail, none. */
  @Override
  public synchronized void delete(List<String> keys) {
    deleteRequests.add(List.copyOf(keys));
    keys.forEach(key -> check(Operation.DELETE, key));
    keys.forEach(objects::remove);
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
