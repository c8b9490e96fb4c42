package io.runjournal.internal.store;

import io.runjournal.AppendRequest;
import io.runjournal.AppendResult;
import io.runjournal.ArchiveReport;
import io.runjournal.FsyncPolicy;
import io.runjournal.ImportResult;
import io.runjournal.Journal;
import io.runjournal.JournalClosedException;
import io.runjournal.JournalObserver;
import io.runjournal.JournalOptions;
import io.runjournal.LockTimeoutException;
import io.runjournal.ReadQuery;
import io.runjournal.ReadResult;
import io.runjournal.RepairReport;
import io.runjournal.RunActiveException;
import io.runjournal.RunEndedException;
import io.runjournal.RunExistsException;
import io.runjournal.RunInfo;
import io.runjournal.RunNotFoundException;
import io.runjournal.StorageException;
import io.runjournal.StorageFullException;
import io.runjournal.SubscribeOptions;
import io.runjournal.Subscription;
import io.runjournal.VerifyReport;
import io.runjournal.internal.json.EventCodec;
import io.runjournal.internal.json.MalformedLineException;
import io.runjournal.internal.json.PreparedEvent;
import io.runjournal.internal.live.ChangeNotifier;
import io.runjournal.internal.live.CursorSubscription;
import io.runjournal.model.Event;
import io.runjournal.model.Ids;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded file store (DESIGN §3): one {@code events.jsonl} per run under {@code
 * <data>/runs/<run>/}.
 *
 * <h2>State</h2>
 *
 * Each open run has a {@link RunState}: branch heads, a sparse seq→offset index, the id table and
 * whether the run has ended, folded from every complete line up to {@code scanned}. States live in
 * a bounded LRU ({@link RunCache}); an evicted state is synced and its files closed, and is rebuilt
 * by a scan when the run is next used.
 *
 * <h2>Locking order</h2>
 *
 * <ol>
 *   <li>the run's in-process lock ({@link RunLocks}, shared by all journal instances of the JVM);
 *   <li>the OS lock on byte 0 of {@code events.jsonl.lock} ({@link ProcessLock}): exclusive for
 *       appends and repair, shared for a reader folding in lines another process appended; polled
 *       within the lock budget. It is a separate file because POSIX drops every lock a process
 *       holds on a file when the process closes <em>any</em> descriptor of it, and readers open and
 *       close {@code events.jsonl} freely. A process that is alone on the run keeps the append lock
 *       between appends (see {@link ProcessLock});
 *   <li>none for syncing: group commit is lock-free (see {@link #syncTo}).
 * </ol>
 *
 * The cache lock is never held while a run lock is taken; a run lock is held while the cache is
 * consulted only to drop that run's state (see Retention), which waits for nothing but the cache
 * lock's short sections.
 *
 * <h2>Append</h2>
 *
 * Events are validated and canonically encoded before any lock. Under both locks the state catches
 * up with lines other processes appended (and moves a torn tail to {@code events.jsonl.torn}),
 * sequences are assigned, and the whole batch is written with one {@code write} to a channel opened
 * with {@code APPEND}. A failed write is truncated away before the error is raised, so a batch is
 * all or nothing. With {@code fsync=always} the caller then joins a group commit: the first waiter
 * forces the file for everyone written so far, the others find their bytes already synced. An
 * append is acknowledged only after that.
 *
 * <h2>Reads and recovery</h2>
 *
 * Readers open the file fresh and stop at the last complete line the state knows of, so they see
 * every acknowledged event and never a partial one. A line that is not a valid event, or whose seq
 * is not the next of its branch, is malformed: tolerant reads skip and count it, strict reads fail
 * with its 1-based line number. A process crash can leave only a partial last line (never
 * acknowledged); it is quarantined by the next writer, by {@link #repair} or by start-up recovery.
 *
 * <h2>Active markers</h2>
 *
 * The first append that leaves a run open creates {@code <data>/active/<run>}; the terminal append
 * deletes it. Start-up recovery lists these markers ({@link #activeRuns}) instead of every run. A
 * crash can leave a marker behind (between the terminal write and the deletion); {@link
 * #releaseActiveMarker} removes it under the append lock.
 *
 * <h2>Retention</h2>
 *
 * A finished run can be archived ({@code events.jsonl.gz}, see {@link Archiver}) or deleted (its
 * directory renamed into {@code <data>/trash}, then removed), under both locks, against a fresh
 * scan. Readers open the plain journal, else the archive ({@link Archives}), which holds the same
 * bytes, so offsets, the index and line numbers carry over. Because another process may archive or
 * delete a run that this process has open, a state remembers the file keys of the files it opened:
 * a read checks them against the run's current file (one {@code stat}), and an append does so
 * whenever it takes the append lock afresh; a state whose file is gone or replaced is dropped and
 * the operation starts again from the files. An append never creates a plain journal beside an
 * archive: it is answered from the archive (duplicates) or refused ({@code run-ended}).
 */
public final class FileJournal implements Journal {
  private static final Logger log = LoggerFactory.getLogger(FileJournal.class);
  private static final int MAX_REPORTED_MALFORMED = 10_000;
  private static final int MAX_SYNC_ROUNDS = 4;
  private static final int WAKE_FAN_OUT = 2;

  private final Path runsDir;
  private final Path activeDir;
  private final JournalOptions options;
  private final JournalObserver observer;
  private final FileOps ops;
  private final RunCache cache;
  private final ChangeNotifier notifier = new ChangeNotifier();
  private final Trash trash;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ScheduledExecutorService syncTimer;
  private final Set<String> reportedMalformed = ConcurrentHashMap.newKeySet();
  private final AtomicLong malformedLines = new AtomicLong();

  /**
   * Runs whose fsync failed: the kernel may have dropped their unsynced pages, so nothing this
   * process wrote since the last good sync can be trusted to be durable. They refuse appends until
   * the journal is reopened (PostgreSQL treats a failed fsync the same way).
   */
  private final Map<String, IOException> failedSyncs = new ConcurrentHashMap<>();

  private FileJournal(Path dataDir, JournalOptions options, FileOps ops) {
    this.runsDir = dataDir.resolve("runs");
    this.activeDir = dataDir.resolve("active");
    this.trash = new Trash(dataDir.resolve("trash"));
    this.options = options;
    this.observer = options.observer();
    this.ops = ops;
    this.cache = new RunCache(options.maxOpenRuns(), runsDir, this::closeQuietly);
    if (options.fsync() == FsyncPolicy.INTERVAL) {
      syncTimer =
          Executors.newSingleThreadScheduledExecutor(
              Thread.ofPlatform().name("runjournal-fsync").daemon().factory());
      long period = options.fsyncInterval().toMillis();
      syncTimer.scheduleWithFixedDelay(this::syncAll, period, period, TimeUnit.MILLISECONDS);
    } else {
      syncTimer = null;
    }
  }

  /** Opens the file store in {@code dataDir}. */
  public static FileJournal open(Path dataDir, JournalOptions options) {
    return open(dataDir, options, FileOps.DEFAULT);
  }

  /** Opens the file store with these file operations (tests inject failures through them). */
  public static FileJournal open(Path dataDir, JournalOptions options, FileOps ops) {
    return new FileJournal(dataDir, options, ops);
  }

  /** The options this journal was opened with. */
  public JournalOptions options() {
    return options;
  }

  /** How many distinct malformed lines readers of this journal have skipped and reported. */
  public long malformedLines() {
    return malformedLines.get();
  }

  // ---------------------------------------------------------------- append

  @Override
  public AppendResult append(String run, AppendRequest request) {
    Ids.requireRunId(run);
    String branch = Ids.requireBranch(request.branch());
    List<PreparedEvent> prepared = new ArrayList<>(request.events().size());
    for (var event : request.events()) {
      prepared.add(EventCodec.prepare(event));
    }
    RunState state;
    Appended attempt = null;
    do {
      state = lockState(run);
      try {
        attempt = appendLocked(state, branch, request.expectedSeq(), prepared);
      } catch (StaleStateException e) {
        retire(state); // archived, deleted or replaced by another process: start from the files
      } finally {
        state.lock.unlock();
      }
    } while (attempt == null);
    Appended appended = attempt;
    if (options.fsync() == FsyncPolicy.ALWAYS) {
      syncTo(state, appended.syncTo());
    }
    if (appended.wrote()) {
      notifier.signal(run);
      if (observer != JournalObserver.NONE) {
        observe(() -> observer.appended(run, appended.events(), appended.bytes()));
      }
    }
    return appended.result();
  }

  private record Appended(AppendResult result, long syncTo, boolean wrote, int events, long bytes) {
    static Appended nothingWritten(AppendResult result, long syncTo) {
      return new Appended(result, syncTo, false, 0, 0);
    }
  }

  /** Runs an observer callback; its failure is logged, never passed on to the append. */
  private static void observe(Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException e) {
      log.warn("the journal observer failed: {}", e.toString());
    }
  }

  private Appended appendLocked(
      RunState state, String branch, Long expectedSeq, List<PreparedEvent> events) {
    IOException failedSync = failedSyncs.get(state.run);
    if (failedSync != null) {
      throw new StorageException(
          state.journal,
          "appending to",
          new IOException(
              "an earlier fsync failed ("
                  + failedSync.getMessage()
                  + "); this run refuses appends until the journal is reopened",
              failedSync));
    }
    if (state.writer == null) {
      if (isArchived(state)) {
        return appendToArchive(state, branch, expectedSeq, events);
      }
      if (state.scanned == 0 && !Files.exists(state.journal)) {
        // Refuse what an empty run refuses before creating any file: a refused first append must
        // not make the run exist (a run exists when its directory does).
        AppendPlan.of(state, branch, expectedSeq, events)
            .encode(
                state.run, options.clock().millis(), options.maxEventBytes(), state.writeBuffer);
      }
    }
    openWriter(state);
    boolean fresh = lockExclusive(state);
    boolean appended = false;
    try {
      if (fresh || state.filesCheckedAt != state.processLock.acquisitions) {
        requireCurrentFiles(state);
        state.filesCheckedAt = state.processLock.acquisitions;
      }
      if (fresh || state.processLock.knownSize != state.scanned) {
        long torn = state.catchUp(malformedReporter(state));
        if (state.reader instanceof ArchiveChannel) {
          removeStrayJournal(state);
        }
        if (torn > 0) {
          quarantine(state, torn);
        }
      }
      AppendPlan plan = AppendPlan.of(state, branch, expectedSeq, events);
      if (plan.fresh() == 0) {
        appended = true;
        return Appended.nothingWritten(plan.result(state.run), state.scanned);
      }
      // A run that had no events may have lost its marker to releaseActiveMarker: mark it again.
      if ((!state.markerWritten || state.lastTs == Long.MIN_VALUE) && !plan.ends()) {
        writeMarker(state.run);
        state.markerWritten = true;
      }
      long ts = Math.max(options.clock().millis(), state.lastTs);
      state.writeBuffer = plan.encode(state.run, ts, options.maxEventBytes(), state.writeBuffer);
      int bytes = state.writeBuffer.remaining();
      write(state, state.writeBuffer);
      state.resetLargeWriteBuffer();
      plan.apply(state, ts);
      if (plan.ends()) {
        deleteMarker(state.run);
      }
      appended = true;
      state.eventsWritten += plan.fresh();
      return new Appended(plan.result(state.run), state.scanned, true, plan.fresh(), bytes);
    } catch (IOException e) {
      throw storageError(state.journal, "appending to", e);
    } finally {
      unlockExclusive(state, appended);
    }
  }

  private void openWriter(RunState state) {
    if (state.writer != null && state.writer.isOpen()) {
      return;
    }
    try {
      ops.createDirectories(state.dir);
      openProcessLock(state);
      state.writer = ops.openAppend(state.journal);
      state.writerKey = Archives.fileKey(state.journal);
    } catch (IOException e) {
      throw storageError(state.journal, "opening", e);
    }
  }

  /**
   * An append to an archived run: answered from the archive, never written. Duplicates get their
   * original seqs, anything new is refused, as it is for any ended run.
   */
  private Appended appendToArchive(
      RunState state, String branch, Long expectedSeq, List<PreparedEvent> events) {
    try {
      if (state.replaced()) {
        throw new StaleStateException();
      }
      catchUpForRead(state);
    } catch (IOException e) {
      throw storageError(Archives.of(state.journal), "reading", e);
    }
    AppendPlan plan = AppendPlan.of(state, branch, expectedSeq, events);
    if (plan.fresh() > 0) {
      // Only an ended run is archived; an archive made by hand of an open run takes nothing either.
      throw new RunEndedException(state.run, state.endedBy != null ? state.endedBy : "archived");
    }
    return Appended.nothingWritten(plan.result(state.run), 0);
  }

  /**
   * With the append lock taken afresh: throws {@link StaleStateException} unless the files this
   * state has open are still the run's journal. Archiving and deleting happen under this lock, so
   * once it is held they are either complete (and seen here) or not begun.
   */
  private static void requireCurrentFiles(RunState state) throws IOException {
    Object current = Archives.fileKey(state.journal);
    if (!Objects.equals(current, state.writerKey)
        || (state.reader != null && !Objects.equals(current, state.readerKey))) {
      throw new StaleStateException();
    }
  }

  /**
   * The journal this append opened is an empty stray beside an archive (the append raced the
   * archiving: it opened the file after the archive removed it; readers read the archive). Removes
   * it, under the append lock, and starts the append again, to be answered from the archive.
   */
  private void removeStrayJournal(RunState state) throws IOException {
    if (Files.size(state.journal) == 0) {
      ops.delete(state.journal);
    }
    throw new StaleStateException();
  }

  private boolean isArchived(RunState state) {
    try {
      return Archives.isArchived(state.journal);
    } catch (IOException e) {
      throw storageError(state.journal, "reading the attributes of", e);
    }
  }

  /** The state's files are no longer the run's journal; the operation starts again. */
  private static final class StaleStateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StaleStateException() {
      super(null, null, /* enableSuppression= */ false, /* writableStackTrace= */ false);
    }
  }

  /** Drops a state whose files were archived, deleted or replaced; the caller holds its lock. */
  private void retire(RunState state) {
    cache.remove(state);
    closeQuietly(state);
  }

  /** Opens this JVM's hold on the run's lock file; only under the run lock. */
  private void openProcessLock(RunState state) throws IOException {
    if (state.processLock == null) {
      state.processLock =
          ProcessLock.open(state.lockFile, state.lock, options.lockTimeout().toNanos());
    }
  }

  /** Takes the append lock; true if taken afresh (another process may have appended). */
  private boolean lockExclusive(RunState state) {
    try {
      return state.processLock.lockExclusive(options.lockTimeout().toNanos());
    } catch (ProcessLock.LockBusyException e) {
      throw new LockTimeoutException(state.lockFile, Duration.ofNanos(e.waitedNanos));
    } catch (IOException e) {
      throw storageError(state.lockFile, "locking", e);
    }
  }

  /** Ends an append: the lock stays with this process only if the append went through. */
  private static void unlockExclusive(RunState state, boolean appended) {
    try {
      if (appended) {
        state.processLock.unlockExclusive(state.scanned);
      } else {
        state.processLock.abandonExclusive();
      }
    } catch (IOException e) {
      log.warn("releasing the lock on {} failed: {}", state.lockFile, e.toString());
    }
  }

  private void write(RunState state, ByteBuffer buffer) {
    long start = state.scanned;
    int total = buffer.remaining();
    try {
      while (buffer.hasRemaining()) {
        ops.write(state.writer, buffer);
      }
    } catch (IOException e) {
      rollback(state, start, e);
      throw storageError(state.journal, "appending to", e);
    }
    state.written = start + total;
  }

  /** Removes a partly written batch so that nothing unacknowledged stays in the journal. */
  private void rollback(RunState state, long size, IOException cause) {
    try (FileChannel channel = FileChannel.open(state.journal, StandardOpenOption.WRITE)) {
      channel.truncate(size);
    } catch (IOException e) {
      cause.addSuppressed(e);
      log.error("could not remove a failed write from {}: {}", state.journal, e.toString());
    }
  }

  private void quarantine(RunState state, long tornBytes) throws IOException {
    ByteBuffer torn = ByteBuffer.allocate((int) tornBytes + 1);
    while (torn.position() < tornBytes) {
      if (state.reader.read(torn, state.scanned + torn.position()) < 0) {
        break;
      }
    }
    torn.put((byte) '\n').flip();
    Path tornPath = state.journal.resolveSibling("events.jsonl.torn");
    try (FileChannel out =
        FileChannel.open(
            tornPath,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.APPEND)) {
      while (torn.hasRemaining()) {
        ops.write(out, torn);
      }
      ops.force(out);
    }
    try (FileChannel channel = FileChannel.open(state.journal, StandardOpenOption.WRITE)) {
      channel.truncate(state.scanned);
      ops.force(channel);
    }
    log.warn("moved a torn tail of {} bytes from {} to {}", tornBytes, state.journal, tornPath);
  }

  private void writeMarker(String run) throws IOException {
    ops.createDirectories(activeDir);
    try {
      Files.createFile(activeDir.resolve(run));
    } catch (FileAlreadyExistsException e) {
      // Another process or an earlier state marked it.
    }
  }

  private void deleteMarker(String run) {
    try {
      Files.deleteIfExists(activeDir.resolve(run));
    } catch (IOException e) {
      log.warn("could not remove the active marker of run {}: {}", run, e.toString());
    }
  }

  // ---------------------------------------------------------------- import and export

  /**
   * Checks the events before any lock ({@link ImportPlan}), then under both locks: compares them
   * with a journal that has lines, or writes them all into an empty one (a failed write is
   * truncated away) and lets the state catch up from the file. Synced afterwards like an append.
   */
  @Override
  public ImportResult importEvents(String run, List<Event> events) {
    Ids.requireRunId(run);
    ensureOpen();
    ImportPlan plan = ImportPlan.of(run, events, options.maxEventBytes());
    RunState state = lockCurrentState(run);
    boolean created;
    try {
      created = plan.events() == 0 ? importNothingLocked(state) : importLocked(state, plan);
    } catch (IOException e) {
      throw storageError(state.journal, "importing into", e);
    } finally {
      state.lock.unlock();
    }
    if (created && plan.events() > 0) {
      if (options.fsync() == FsyncPolicy.ALWAYS) {
        syncTo(state, plan.bytes());
      }
      notifier.signal(run);
      if (observer != JournalObserver.NONE) {
        observe(() -> observer.appended(run, plan.events(), plan.bytes()));
      }
    }
    return new ImportResult(run, created, plan.events(), plan.bytes(), plan.heads());
  }

  /** An import of no events: the run exists afterwards, and must hold no lines. */
  private boolean importNothingLocked(RunState state) throws IOException {
    catchUpForRead(state);
    if (state.scanned > 0) {
      throw new RunExistsException(
          state.run, 1, "its journal has lines (" + state.scanned + " bytes), the import none");
    }
    boolean existed = Files.isDirectory(state.dir);
    ops.createDirectories(state.dir);
    return !existed;
  }

  private boolean importLocked(RunState state, ImportPlan plan) throws IOException {
    IOException failedSync = failedSyncs.get(state.run);
    if (failedSync != null) {
      throw new StorageException(
          state.journal, "importing into", new IOException("an earlier fsync failed", failedSync));
    }
    if (state.writer == null && isArchived(state)) {
      // An archived run is never written again: the import matches it, or is refused.
      catchUpForRead(state);
      plan.requireSameAs(state.reader, state.scanned);
      return false;
    }
    openWriter(state);
    lockExclusive(state);
    boolean done = false;
    try {
      long torn = state.catchUp(malformedReporter(state));
      if (torn > 0) {
        quarantine(state, torn);
      }
      if (state.scanned > 0) {
        plan.requireSameAs(state.reader, state.scanned);
        done = true;
        return false;
      }
      if (plan.ends()) {
        deleteMarker(state.run); // a marker left by an earlier run of this id
      } else if (!state.markerWritten) {
        writeMarker(state.run);
        state.markerWritten = true;
      }
      writeImport(state, plan);
      state.catchUp(malformedReporter(state));
      state.eventsWritten += plan.events();
      done = true;
      return true;
    } finally {
      unlockExclusive(state, done);
    }
  }

  /** Writes the import's lines in chunks to the empty journal; all or nothing, as an append. */
  private void writeImport(RunState state, ImportPlan plan) {
    long start = state.scanned;
    ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(plan.bytes(), 1 << 20));
    try {
      for (int i = 0; i < plan.events(); i++) {
        byte[] line = plan.line(i);
        if (line.length > chunk.remaining()) {
          writeFully(state.writer, chunk.flip());
          chunk.clear();
        }
        if (line.length > chunk.capacity()) {
          writeFully(state.writer, ByteBuffer.wrap(line));
        } else {
          chunk.put(line);
        }
      }
      writeFully(state.writer, chunk.flip());
    } catch (IOException e) {
      rollback(state, start, e);
      throw storageError(state.journal, "importing into", e);
    }
    state.written = start + plan.bytes();
  }

  private void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      ops.write(channel, buffer);
    }
  }

  @Override
  public long forEachEvent(String run, long maxEvents, Consumer<? super Event> action) {
    Ids.requireRunId(run);
    long end = withCaughtUpState(run, state -> state.scanned);
    Path journal = runsDir.resolve(run).resolve("events.jsonl");
    return JournalOrder.forEach(journal, run, end, maxEvents, action, this::reportMalformed);
  }

  @Override
  public long copyJournal(String run, long maxLines, OutputStream out) throws IOException {
    Ids.requireRunId(run);
    long end = withCaughtUpState(run, state -> state.scanned);
    return JournalOrder.copy(runsDir.resolve(run).resolve("events.jsonl"), end, maxLines, out);
  }

  // ---------------------------------------------------------------- durability

  /**
   * Returns once everything up to {@code position} is on stable storage. Group commit without a
   * lock: the first caller to win {@code forcing} is the leader; it notes how far the file is
   * written and forces it, while later callers queue and park. One {@code fdatasync} thus
   * acknowledges every append written before it started, and throughput grows with the number of
   * writers.
   *
   * <p>Between two forces the leader wakes the writers its force covered, and the disk idles until
   * it is done. Waking a parked platform thread is a system call, and the woken thread needs a
   * core, so the leader wakes every covered platform waiter itself: one scheduling delay for all of
   * them (handing the wake-ups on from waiter to waiter cost one delay per hop and measured no
   * better). Virtual threads wake cheaply and hop fast, so there the leader wakes at most {@value
   * #WAKE_FAN_OUT} covered waiters and goes back to the disk at once, and each woken waiter wakes
   * the next {@value #WAKE_FAN_OUT} covered ones before it returns, in parallel with the next force
   * (64 virtual writers measured faster so; BENCHMARKS.md, B2). A waiter is woken once ({@link
   * RunState.SyncWaiter#claimWakeUp}); the wake-ups reach every covered waiter because each one
   * enqueues before it last reads {@code synced}, so either it sees its position covered or the
   * scans after that force see it.
   *
   * <p>While writes are waiting, the leader forces again at once (at most {@value #MAX_SYNC_ROUNDS}
   * forces, then it hands over so that its own append is not held back for long); the leader that
   * hands over also wakes the first uncovered waiter to lead the next force.
   */
  private void syncTo(RunState state, long position) {
    RunState.SyncWaiter self = null;
    try {
      while (state.synced < position) {
        IOException failure = state.syncFailure;
        if (failure != null) {
          throw syncFailed(state, failure);
        }
        if (state.forcing.compareAndSet(false, true)) {
          lead(state, position);
        } else if (self == null) {
          self = new RunState.SyncWaiter(position, Thread.currentThread());
          state.syncWaiters.add(self); // then look again: the force may have just ended
        } else {
          LockSupport.park(state);
        }
      }
    } finally {
      if (self != null) {
        state.syncWaiters.remove(self);
        wakeCovered(state, WAKE_FAN_OUT);
      }
    }
  }

  private void lead(RunState state, long position) {
    try {
      for (int round = 1; ; round++) {
        // A sync covers every byte written to the file before it starts, by any process.
        long target = Math.max(state.written, position);
        long eventsTarget = state.eventsWritten;
        long started = System.nanoTime();
        forceFile(state);
        long took = System.nanoTime() - started;
        state.synced = Math.max(state.synced, target);
        if (observer != JournalObserver.NONE) {
          long events = Math.max(0, eventsTarget - state.eventsSynced);
          state.eventsSynced = Math.max(state.eventsSynced, eventsTarget);
          observe(() -> observer.synced(state.run, took, events));
        }
        if (round == MAX_SYNC_ROUNDS
            || state.written <= state.synced
            || state.syncWaiters.isEmpty()) {
          return;
        }
        wakeCovered(state, WAKE_FAN_OUT);
      }
    } catch (IOException e) {
      state.syncFailure = e;
    } finally {
      state.forcing.set(false);
      wakeWaiters(state);
    }
  }

  /**
   * Unparks the waiters the last force covered that nobody has woken yet: every platform thread,
   * but at most {@code virtualCount} virtual threads, which pass the wake-up on (see syncTo).
   */
  private static void wakeCovered(RunState state, int virtualCount) {
    long covered = state.synced;
    int virtualLeft = virtualCount;
    for (RunState.SyncWaiter waiter : state.syncWaiters) {
      if (waiter.position > covered) {
        continue;
      }
      boolean virtual = waiter.thread.isVirtual();
      if ((!virtual || virtualLeft > 0) && waiter.claimWakeUp()) {
        LockSupport.unpark(waiter.thread);
        if (virtual) {
          virtualLeft--;
        }
      }
    }
  }

  /**
   * After a leader hands over: starts the wake-up of the waiters its last force covered and wakes
   * the first uncovered one to lead the next force; after a failure wakes every waiter.
   */
  private static void wakeWaiters(RunState state) {
    if (state.syncFailure != null) {
      state.syncWaiters.forEach(waiter -> LockSupport.unpark(waiter.thread));
      return;
    }
    wakeCovered(state, WAKE_FAN_OUT);
    long covered = state.synced;
    for (RunState.SyncWaiter waiter : state.syncWaiters) {
      if (waiter.position > covered) {
        LockSupport.unpark(waiter.thread);
        return;
      }
    }
  }

  private void forceFile(RunState state) throws IOException {
    FileChannel channel = state.writer;
    if (channel != null && channel.isOpen()) {
      ops.force(channel);
    } else {
      try (FileChannel fresh = FileChannel.open(state.journal, StandardOpenOption.WRITE)) {
        ops.force(fresh);
      }
    }
  }

  /** A failed fsync: the run refuses appends until the journal is reopened (see failedSyncs). */
  private StorageException syncFailed(RunState state, IOException e) {
    if (failedSyncs.putIfAbsent(state.run, e) == null) {
      log.error(
          "fsync of {} failed; the run refuses appends until the journal is reopened: {}",
          state.journal,
          e.toString());
    }
    // Not StorageFullException even for ENOSPC: the batch is in the file, but not durable.
    return new StorageException(
        state.journal,
        "syncing",
        new IOException(
            e.getMessage()
                + " (the batch is in the file but may not persist; the run refuses appends"
                + " until the journal is reopened)",
            e));
  }

  /**
   * Folds in what other processes appended. When the file grew, this happens under the shared file
   * lock, so a batch another process is writing (or rolling back after a full disk) is never seen
   * half-written. Where the lock file cannot be created (a read-only directory), reads go without;
   * when a writer holds it past the lock budget, the read serves what it already knows.
   */
  private void catchUpForRead(RunState state) throws IOException {
    if (state.openReader() && state.reader.size() > state.scanned) {
      FileLock shared;
      try {
        openProcessLock(state);
        shared = state.processLock.lockShared(options.lockTimeout().toNanos());
      } catch (ProcessLock.LockBusyException e) {
        return; // a writer holds the lock for long: serve what is known rather than fail the read
      } catch (IOException e) {
        state.catchUp(malformedReporter(state)); // no lock file possible: read without
        return;
      }
      try {
        state.catchUp(malformedReporter(state));
      } finally {
        if (shared != null) {
          shared.release();
        }
      }
    } else {
      state.catchUp(malformedReporter(state));
    }
  }

  private void syncAll() {
    for (RunState state : cache.snapshot()) {
      try {
        syncTo(state, state.written);
      } catch (RuntimeException e) {
        log.warn("periodic sync of {} failed: {}", state.journal, e.toString());
      }
    }
  }

  // ---------------------------------------------------------------- reads

  @Override
  public ReadResult read(String run, ReadQuery query) {
    Ids.requireRunId(run);
    if (!query.descending()) {
      return ascending(run, query).toResult();
    }
    if (!query.strict() && !cache.contains(run)) {
      // A cold run: read the file from its end rather than build the run's index from its start.
      ensureOpen();
      Path journal = runsDir.resolve(run).resolve("events.jsonl");
      try {
        return BackwardReader.read(journal, run, query);
      } catch (IOException e) {
        throw storageError(journal, "reading", e);
      }
    }
    View view = view(run, query.branch(), query.afterSeq() + 1);
    return new RunReader(view, query, this::reportMalformed).descending();
  }

  /** The events after {@code afterSeq} for a subscription, with how far the cursor may move. */
  CursorSubscription.Batch readBatch(
      String run, String branch, long afterSeq, int limit, Set<String> types) {
    ReadQuery query = new ReadQuery(branch, afterSeq, Long.MAX_VALUE, limit, types, false, false);
    RunReader.Ascending read = ascending(run, query);
    return new CursorSubscription.Batch(read.events(), read.head(), read.through(), read.ended());
  }

  /**
   * An ascending read: from memory when the branch's recent events cover it (live tails, resumes
   * near the head) and the read is tolerant, else from the file, starting at the sparse-index entry
   * before {@code afterSeq}.
   */
  private RunReader.Ascending ascending(String run, ReadQuery query) {
    RunState state = lockCaughtUpState(run);
    View view;
    try {
      BranchState branch = state.branches.get(query.branch());
      if (branch != null && !query.strict() && branch.recent.covers(query.afterSeq() + 1)) {
        return RunReader.Ascending.fromMemory(run, branch, state.endedBy != null, query);
      }
      view = viewLocked(state, query.branch(), query.afterSeq() + 1);
    } finally {
      state.lock.unlock();
    }
    return new RunReader(view, query, this::reportMalformed).ascending();
  }

  /**
   * A consistent view of one branch for a reader, taken under the run lock.
   *
   * @param index the index entries from the one at or before the first wanted seq
   */
  record View(
      String run,
      Path journal,
      String branch,
      long head,
      String endedBy,
      long end,
      BranchState.Index index) {}

  private View view(String run, String branch, long fromSeq) {
    RunState state = lockCaughtUpState(run);
    try {
      return viewLocked(state, branch, fromSeq);
    } finally {
      state.lock.unlock();
    }
  }

  private static View viewLocked(RunState state, String branch, long fromSeq) {
    BranchState branchState = state.branches.get(branch);
    return new View(
        state.run,
        state.journal,
        branch,
        state.head(branch),
        state.endedBy,
        state.scanned,
        branchState == null ? BranchState.EMPTY : branchState.indexFrom(fromSeq));
  }

  @Override
  public long head(String run, String branch) {
    Ids.requireRunId(run);
    String name = Ids.requireBranch(branch);
    return withCaughtUpState(run, state -> state.head(name));
  }

  @Override
  public Map<String, Long> heads(String run) {
    return info(run).heads();
  }

  @Override
  public long size(String run) {
    ensureOpen();
    Path file = runsDir.resolve(Ids.requireRunId(run)).resolve("events.jsonl");
    try {
      return Archives.size(file);
    } catch (IOException e) {
      throw storageError(file, "reading the size of", e);
    }
  }

  @Override
  public Optional<Event> lastEvent(String run) {
    ensureOpen();
    Path file = runsDir.resolve(Ids.requireRunId(run)).resolve("events.jsonl");
    try (FileChannel channel = Archives.openForRead(file)) {
      long size = channel.size();
      int window = 4096;
      while (true) {
        long from = Math.max(0, size - window);
        ByteBuffer buffer = ByteBuffer.allocate((int) (size - from));
        while (buffer.hasRemaining() && channel.read(buffer, from + buffer.position()) >= 0) {
          // read the whole window
        }
        byte[] bytes = buffer.array();
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
          end--; // a torn tail is not an event
        }
        if (end == 0) {
          return Optional.empty();
        }
        int start = end - 1;
        while (start > 0 && bytes[start - 1] != '\n') {
          start--;
        }
        if (start > 0 || from == 0) {
          try {
            return Optional.of(EventCodec.parseAnyLine(bytes, start, end - 1 - start, run));
          } catch (MalformedLineException e) {
            return Optional.empty();
          }
        }
        if (window >= options.maxEventBytes() * 2 + 2) {
          return Optional.empty();
        }
        window *= 4;
      }
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw storageError(file, "reading the end of", e);
    }
  }

  @Override
  public RunInfo info(String run) {
    Ids.requireRunId(run);
    return withCaughtUpState(
        run,
        state -> {
          Map<String, Long> heads = new TreeMap<>();
          state.branches.forEach(
              (name, branch) -> {
                if (branch.head > 0) {
                  heads.put(name, branch.head);
                }
              });
          Instant last = state.lastTs == Long.MIN_VALUE ? null : Instant.ofEpochMilli(state.lastTs);
          return new RunInfo(run, heads, state.endedBy, last, state.malformed, state.scanned);
        });
  }

  private <T> T withCaughtUpState(String run, java.util.function.Function<RunState, T> action) {
    RunState state = lockCaughtUpState(run);
    try {
      return action.apply(state);
    } finally {
      state.lock.unlock();
    }
  }

  /** The run's state, locked and caught up with the journal (see {@link #lockCurrentState}). */
  private RunState lockCaughtUpState(String run) {
    RunState state = lockCurrentState(run);
    try {
      catchUpForRead(state);
      return state;
    } catch (IOException e) {
      state.lock.unlock();
      throw storageError(state.journal, "reading", e);
    } catch (RuntimeException e) {
      state.lock.unlock();
      throw e;
    }
  }

  /**
   * The run's state, locked; a state read from a file that another process has since archived,
   * deleted or replaced is dropped first, and the run is read again from what is stored now.
   */
  private RunState lockCurrentState(String run) {
    while (true) {
      RunState state = lockState(run);
      try {
        if (!state.replaced()) {
          return state;
        }
        retire(state);
      } catch (IOException e) {
        state.lock.unlock();
        throw storageError(state.journal, "reading", e);
      }
      state.lock.unlock();
    }
  }

  @Override
  public boolean exists(String run) {
    ensureOpen();
    return Files.isDirectory(runsDir.resolve(Ids.requireRunId(run)));
  }

  @Override
  public boolean create(String run) {
    ensureOpen();
    Path dir = runsDir.resolve(Ids.requireRunId(run));
    try {
      ops.createDirectories(runsDir);
      Files.createDirectory(dir);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      throw storageError(dir, "creating", e);
    }
  }

  @Override
  public List<String> listRuns() {
    ensureOpen();
    List<String> runs = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(runsDir)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (Ids.isValidRunId(name) && Files.isDirectory(entry)) {
          runs.add(name);
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw storageError(runsDir, "listing", e);
    }
    runs.sort(null);
    return runs;
  }

  @Override
  public List<String> activeRuns() {
    ensureOpen();
    List<String> runs = new ArrayList<>();
    try (DirectoryStream<Path> markers = Files.newDirectoryStream(activeDir)) {
      for (Path marker : markers) {
        String name = marker.getFileName().toString();
        if (Ids.isValidRunId(name)) {
          runs.add(name);
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw storageError(activeDir, "listing", e);
    }
    runs.sort(null);
    return runs;
  }

  @Override
  public boolean releaseActiveMarker(String run) {
    Ids.requireRunId(run);
    ensureOpen();
    Path marker = activeDir.resolve(run);
    if (!Files.exists(marker)) {
      return false;
    }
    RunState state = lockCurrentState(run);
    try {
      if (!Files.isDirectory(state.dir)) {
        return deleteMarkerOf(state); // the run was deleted: no writer can be appending
      }
      // Under the append lock, so that no other process is between its marker and its write.
      openProcessLock(state);
      lockExclusive(state);
      boolean released = false;
      try {
        state.catchUp(malformedReporter(state));
        released = true;
        boolean open = state.endedBy == null && state.lastTs != Long.MIN_VALUE;
        return !open && deleteMarkerOf(state);
      } finally {
        unlockExclusive(state, released);
      }
    } catch (IOException e) {
      throw storageError(marker, "releasing", e);
    } finally {
      state.lock.unlock();
    }
  }

  /** Deletes the run's active marker under its run lock; true if there was one. */
  private boolean deleteMarkerOf(RunState state) throws IOException {
    state.markerWritten = false;
    return Files.deleteIfExists(activeDir.resolve(state.run));
  }

  @Override
  public Subscription subscribe(String run, SubscribeOptions subscribeOptions) {
    Ids.requireRunId(run);
    ensureOpen();
    String branch = subscribeOptions.branch();
    Set<String> types = subscribeOptions.types();
    return new CursorSubscription(
        (afterSeq, limit) -> readBatch(run, branch, afterSeq, limit, types),
        notifier,
        run,
        subscribeOptions.afterSeq(),
        subscribeOptions.maxBatch(),
        options.subscriptionPoll(),
        closed::get);
  }

  // ---------------------------------------------------------------- verify and repair

  @Override
  public VerifyReport verify(String run) {
    Ids.requireRunId(run);
    ensureOpen();
    Path journal = runsDir.resolve(run).resolve("events.jsonl");
    try {
      return Verifier.verify(run, journal);
    } catch (IOException e) {
      throw storageError(journal, "verifying", e);
    }
  }

  @Override
  public RepairReport repair(String run) {
    Ids.requireRunId(run);
    RunState state = lockCurrentState(run);
    try {
      if (!Files.exists(state.journal)) {
        return new RepairReport(state.journal, 0);
      }
      openWriter(state);
      lockExclusive(state);
      boolean repaired = false;
      try {
        long torn = state.catchUp(malformedReporter(state));
        if (torn > 0) {
          quarantine(state, torn);
        }
        repaired = true;
        return new RepairReport(state.journal, torn);
      } finally {
        unlockExclusive(state, repaired);
      }
    } catch (IOException e) {
      throw storageError(state.journal, "repairing", e);
    } finally {
      state.lock.unlock();
    }
  }

  // ---------------------------------------------------------------- retention

  @Override
  public boolean isFinished(String run) {
    Ids.requireRunId(run);
    ensureOpen(); // before the marker check, which answers an open run without info()
    return !Files.exists(activeDir.resolve(run)) && info(run).ended();
  }

  @Override
  public boolean isArchived(String run) {
    ensureOpen();
    Path journal = runsDir.resolve(Ids.requireRunId(run)).resolve("events.jsonl");
    try {
      return Archives.isArchived(journal);
    } catch (IOException e) {
      throw storageError(journal, "reading the attributes of", e);
    }
  }

  @Override
  public ArchiveReport archive(String run) {
    Ids.requireRunId(run);
    return underBothLocks(
        run,
        "archive",
        state -> {
          Path archive = Archives.of(state.journal);
          if (state.reader instanceof ArchiveChannel) {
            return new ArchiveReport(run, archive, state.scanned, Files.size(archive), true);
          }
          long archiveBytes = Archiver.archive(ops, state.reader, state.scanned, state.journal);
          log.info(
              "archived run {}: {} bytes into {} ({} bytes)",
              run,
              state.scanned,
              archive,
              archiveBytes);
          return new ArchiveReport(run, archive, state.scanned, archiveBytes, false);
        });
  }

  @Override
  public boolean delete(String run) {
    Ids.requireRunId(run);
    try {
      underBothLocks(
          run,
          "delete",
          state -> {
            // One rename makes the whole run disappear at once; its files are removed after.
            Path entry = trash.entryFor(run);
            ops.createDirectories(entry.getParent());
            ops.move(state.dir, entry);
            ops.forceDirectory(runsDir);
            return entry;
          });
    } catch (RunNotFoundException e) {
      return false;
    }
    Archives.forget(Archives.of(runsDir.resolve(run).resolve("events.jsonl")));
    notifier.signal(run);
    trash.empty();
    log.info("deleted run {}", run);
    return true;
  }

  /** What archive and delete do to a finished run, under both of its locks. */
  private interface RetentionAction<T> {
    T apply(RunState state) throws IOException;
  }

  /**
   * Runs {@code action} on a finished run under its in-process lock and its append lock, against a
   * fresh scan of what is stored (the cached state is synced, closed and dropped first; the next
   * use of the run starts from the files). Refuses a run that has not ended or is marked active,
   * after catching up with every append another process made before the lock was taken.
   */
  private <T> T underBothLocks(String run, String operation, RetentionAction<T> action) {
    RunState cached = lockState(run);
    try {
      retire(cached);
      RunState state = new RunState(run, cached.dir);
      if (!Files.isDirectory(state.dir)) {
        throw new RunNotFoundException(run);
      }
      try {
        openProcessLock(state);
        lockExclusive(state);
        try {
          if (Files.exists(Archives.of(state.journal))
              && Files.exists(state.journal)
              && Files.size(state.journal) == 0) {
            ops.delete(state.journal); // an empty journal a racing append created: nothing in it
          }
          long torn = state.catchUp(malformedReporter(state));
          if (torn > 0 && !(state.reader instanceof ArchiveChannel)) {
            quarantine(state, torn);
          }
          requireFinished(state, operation);
          return action.apply(state);
        } finally {
          state.processLock.abandonExclusive();
        }
      } catch (IOException e) {
        throw storageError(state.dir, operation + " of run directory", e);
      } finally {
        closeQuietly(state);
      }
    } finally {
      cached.lock.unlock();
    }
  }

  /** Refuses a run that has not ended, or that ended but is still marked active. */
  private void requireFinished(RunState state, String operation) {
    if (state.endedBy == null) {
      throw new RunActiveException(
          state.run,
          operation,
          state.scanned == 0
              ? "it has no events, so it has not ended"
              : "it has not ended (no terminal event)");
    }
    Path marker = activeDir.resolve(state.run);
    if (Files.exists(marker)) {
      throw new RunActiveException(
          state.run, operation, "it is marked active (" + marker + " exists)");
    }
  }

  // ---------------------------------------------------------------- lifecycle

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (syncTimer != null) {
      // Not shutdownNow(): interrupting the timer inside a force closes the channel under it
      // (ClosedByInterruptException) and would mark the run's fsync as failed. A periodic sync in
      // progress ends; close() below syncs every run anyway.
      syncTimer.shutdown();
      try {
        if (!syncTimer.awaitTermination(10, TimeUnit.SECONDS)) {
          log.warn("the periodic fsync did not end within 10 s; closing anyway");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    notifier.wakeAll();
    List<Exception> failures = new ArrayList<>();
    for (RunState state : cache.clear()) {
      try {
        closeState(state);
      } catch (IOException | RuntimeException e) {
        failures.add(e);
      }
    }
    if (!failures.isEmpty()) {
      StorageException failure =
          new StorageException(
              runsDir, "closing " + failures.size() + " run(s) under", failures.getFirst());
      failures.stream().skip(1).forEach(failure::addSuppressed);
      throw failure;
    }
  }

  private void closeQuietly(RunState state) {
    try {
      closeState(state);
    } catch (IOException | RuntimeException e) {
      log.warn("closing {} failed: {}", state.journal, e.toString());
    }
  }

  private void closeState(RunState state) throws IOException {
    state.lock.lock();
    try {
      while (!state.forcing.compareAndSet(false, true)) {
        Thread.onSpinWait(); // a leader is forcing through our channel: at most a few fsyncs
      }
      try {
        if (options.fsync() != FsyncPolicy.NONE
            && state.written > state.synced
            && state.writer != null
            && state.writer.isOpen()) {
          ops.force(state.writer);
          state.synced = state.written;
        }
        state.closeFiles();
      } finally {
        state.forcing.set(false);
        wakeWaiters(state);
      }
    } finally {
      state.lock.unlock();
    }
  }

  private RunState lockState(String run) {
    while (true) {
      ensureOpen();
      RunState state = cache.get(run);
      state.lock.lock();
      if (!state.closed) {
        return state;
      }
      state.lock.unlock();
    }
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new JournalClosedException("journal");
    }
  }

  // ---------------------------------------------------------------- errors

  private BiConsumer<Long, String> malformedReporter(RunState state) {
    return (line, reason) -> reportMalformed(state.journal, line, reason);
  }

  private void reportMalformed(Path journal, long line, String reason) {
    if (reportedMalformed.size() < MAX_REPORTED_MALFORMED
        && reportedMalformed.add(journal + ":" + line)) {
      malformedLines.incrementAndGet();
      log.warn("{}:{}: skipping malformed line: {}", journal, line, reason);
    }
  }

  static StorageException storageError(Path path, String what, IOException e) {
    if (e instanceof InterruptedIOException
        || e instanceof java.nio.channels.ClosedByInterruptException) {
      Thread.currentThread().interrupt();
    }
    String message = String.valueOf(e.getMessage());
    if (message.contains("No space left on device") || message.contains("Disk quota exceeded")) {
      return new StorageFullException(path, what, e);
    }
    return new StorageException(path, what, e);
  }
}
