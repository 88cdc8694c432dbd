package dev.neonbackup.shutdown;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one path a cancelled run takes. Every resource that must not outlive the run (a child
 * process, an unfinished upload, a file holding a secret) registers here when it is created and
 * unregisters when it is released the ordinary way; a signal then releases exactly what exists.
 * Publishing an archive is a section a signal waits for, briefly, so that an archive is never
 * left without its manifest unsaid.
 */
public final class ShutdownPath {
  private static final ShutdownPath PROCESS = new ShutdownPath();

  /**
   * Until when, from the signal, it waits for what was being created when it came to be released
   * (a CreateMultipartUpload on its way, say), so the whole stays inside the grace period; at
   * least {@link #MIN_NETWORK_BUDGET} after the releases.
   */
  private static final Duration CREATION_DEADLINE = Duration.ofSeconds(4);

  /** The least time an abort gets, however long the signal waited for a publication. */
  private static final Duration MIN_NETWORK_BUDGET = Duration.ofMillis(500);

  ShutdownPath() {}

  private final Map<Long, Resource> resources = new LinkedHashMap<>();
  private final Map<Long, String> publishing = new LinkedHashMap<>();
  private final List<String> published = new ArrayList<>();
  private final AtomicLong ids = new AtomicLong();
  private final List<String> lateReleased = new ArrayList<>();
  private final List<String> lateNotReleased = new ArrayList<>();
  private int creations;
  private volatile boolean cancelling;
  private volatile boolean exiting;

  /** The path of this process: a signal is process-wide. */
  public static ShutdownPath process() {
    return PROCESS;
  }

  /** What releases a resource; it may be called from the signal's thread. */
  public interface Release {
    void run() throws Exception;
  }

  /** A resource's place on the path; {@link #close()} takes it off once it was released. */
  public final class Registration implements AutoCloseable {
    private final long id;

    private Registration(long id) {
      this.id = id;
    }

    @Override
    public void close() {
      synchronized (ShutdownPath.this) {
        resources.remove(id);
      }
    }
  }

  /**
   * Registers a resource. {@code kind} orders the release (processes first, so nothing writes
   * any more, then uploads and branches, then files); {@code description} names it in the cancel
   * message.
   */
  public Registration register(Kind kind, String description, Release release) {
    synchronized (this) {
      if (!cancelling) {
        long id = ids.incrementAndGet();
        resources.put(id, new Resource(kind, description, release));
        return new Registration(id);
      }
    }
    releaseLate(description, release);
    throw new CancelledException("the run was cancelled while " + description + " was created");
  }

  /**
   * A resource created after the signal took the list (its creation was under way): released at
   * once, on the creating thread, while the signal waits for the creation to end.
   */
  private void releaseLate(String description, Release release) {
    String failure = null;
    try {
      release.run();
    } catch (Exception e) {
      failure = description + " (" + e.getMessage() + ")";
    }
    synchronized (this) {
      if (failure == null) {
        lateReleased.add(description);
      } else {
        lateNotReleased.add(failure);
      }
    }
  }

  /**
   * Starts creating a resource (starting a process, an upload, a temporary file), refused once
   * cancelling. A signal that comes meanwhile waits briefly for the creation to end, so that what
   * it creates is registered, and released, before the process exits; close it once the resource
   * is registered (or its creation failed).
   */
  public synchronized Creation creating(String what) {
    if (cancelling) {
      throw new CancelledException("the run was cancelled before " + what);
    }
    creations++;
    return new Creation();
  }

  /** A resource being created; see {@link #creating}. */
  public final class Creation implements AutoCloseable {
    private boolean closed;

    private Creation() {}

    @Override
    public void close() {
      synchronized (ShutdownPath.this) {
        if (!closed) {
          closed = true;
          creations--;
          ShutdownPath.this.notifyAll();
        }
      }
    }
  }

  /** Whether a signal has started the clean-up: nothing new may be published. */
  public boolean cancelling() {
    return cancelling;
  }

  /** The program is exiting on its own: the exit hook has nothing to clean. */
  public void exitingNormally() {
    exiting = true;
  }

  public boolean exitingOnItsOwn() {
    return exiting;
  }

  /**
   * Starts publishing {@code what} (completing an upload, then writing its manifest). Refused
   * once cancelling: an archive is not published after a signal. Close the section when done;
   * call {@link Section#published()} first if the archive and its manifest are both stored.
   */
  public synchronized Section publish(String what) {
    return open(
        what,
        what + " was published with its manifest before the signal",
        what
            + " was being published: it may be stored without its manifest (check it with list,"
            + " or delete it)");
  }

  /** As {@link #publish}, for one object that has no manifest (the roles script). */
  public synchronized Section publishAlone(String what) {
    return open(
        what,
        what + " was stored before the signal",
        what + " was being stored: it may or may not be there");
  }

  private Section open(String what, String whenDone, String whenUnfinished) {
    if (cancelling) {
      throw new CancelledException("the run was cancelled before " + what + " was published");
    }
    long id = ids.incrementAndGet();
    publishing.put(id, whenUnfinished);
    return new Section(id, whenDone);
  }

  /** Publishing one archive; a signal waits for it to end. */
  public final class Section implements AutoCloseable {
    private final long id;
    private final String whenDone;

    private Section(long id, String whenDone) {
      this.id = id;
      this.whenDone = whenDone;
    }

    /** Everything is stored: the archive and its manifest, or the one object. */
    public void published() {
      synchronized (ShutdownPath.this) {
        published.add(whenDone);
      }
    }

    @Override
    public void close() {
      synchronized (ShutdownPath.this) {
        publishing.remove(id);
        ShutdownPath.this.notifyAll();
      }
    }
  }

  /**
   * Releases everything registered, processes first: waits up to {@code publishWait} for an
   * archive being published, then gives each release that talks to the network {@code
   * networkBudget} (one try). Returns what was done and what was not.
   */
  public CancelOutcome cancel(Duration publishWait, Duration networkBudget) {
    List<String> unfinished;
    List<Resource> toRelease;
    List<String> done;
    long started = System.nanoTime();
    synchronized (this) {
      cancelling = true;
      long deadline = System.nanoTime() + publishWait.toNanos();
      while (!publishing.isEmpty() && System.nanoTime() < deadline) {
        waitQuietly(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      }
      unfinished = List.copyOf(publishing.values());
      done = List.copyOf(published);
      toRelease = new ArrayList<>(resources.values());
      resources.clear();
    }
    Duration waited = Duration.ofNanos(System.nanoTime() - started);
    CancelOutcome outcome = Releases.run(toRelease, shrink(networkBudget, waited), done, unfinished);
    synchronized (this) {
      long deadline =
          Math.max(
              started + CREATION_DEADLINE.toNanos(),
              System.nanoTime() + MIN_NETWORK_BUDGET.toNanos());
      while (creations > 0 && System.nanoTime() < deadline) {
        waitQuietly(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      }
      List<String> stillCreating =
          creations == 0 ? List.of() : List.of("what was being created when the signal came");
      return outcome.with(lateReleased, concat(lateNotReleased, stillCreating));
    }
  }

  private static List<String> concat(List<String> first, List<String> second) {
    List<String> all = new ArrayList<>(first);
    all.addAll(second);
    return all;
  }

  /**
   * The network budget after a wait for a publication: what the wait took beyond a second comes
   * out of it, so that the whole stays inside the runner's grace period, but never below one try.
   */
  static Duration shrink(Duration networkBudget, Duration waited) {
    Duration over = waited.minusSeconds(1);
    Duration left = over.isNegative() ? networkBudget : networkBudget.minus(over);
    return left.compareTo(MIN_NETWORK_BUDGET) < 0 ? MIN_NETWORK_BUDGET : left;
  }

  private void waitQuietly(long millis) {
    try {
      wait(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * What kind of thing a resource is: the order of release. Processes go first, so nothing writes
   * any more; then what lives on a server (unfinished uploads, temporary Neon branches), released
   * together within the network budget, so the whole stays inside the grace period; then files.
   */
  public enum Kind {
    PROCESS(0),
    UPLOAD(1),
    BRANCH(1),
    FILE(2);

    private final int step;

    Kind(int step) {
      this.step = step;
    }

    /** Kinds of the same step are released at once. */
    int step() {
      return step;
    }

    /** Whether releasing it talks to a server, and so gets the network budget. */
    boolean remote() {
      return step == 1;
    }
  }

  record Resource(Kind kind, String description, Release release) {}
}
