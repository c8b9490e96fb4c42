package io.runjournal.internal.store;

import io.runjournal.internal.json.EventCodec;
import io.runjournal.internal.json.MalformedLineException;
import io.runjournal.model.Event;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;

/**
 * What this process knows of one run's journal: every complete line up to {@link #scanned} folded
 * into branch heads, a sparse index, the id table and the terminal state. All fields are guarded by
 * {@link #lock} except the group-commit fields ({@link #forcing} and the volatile positions).
 */
final class RunState {
  final String run;
  final Path dir;
  final Path journal;
  final Path lockFile;
  final ReentrantLock lock;

  /** Whether a group-commit leader is forcing the file (or the state is closing). */
  final AtomicBoolean forcing = new AtomicBoolean();

  /** Appenders waiting for a force to cover their position. */
  final ConcurrentLinkedQueue<SyncWaiter> syncWaiters = new ConcurrentLinkedQueue<>();

  /** Set when a force fails; every later sync of this state fails too. */
  volatile IOException syncFailure;

  /** An appender parked until {@link #synced} reaches its position. */
  static final class SyncWaiter {
    private static final VarHandle WOKEN;

    static {
      try {
        WOKEN = MethodHandles.lookup().findVarHandle(SyncWaiter.class, "woken", boolean.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final long position;
    final Thread thread;

    @SuppressWarnings("unused") // through WOKEN
    private volatile boolean woken;

    SyncWaiter(long position, Thread thread) {
      this.position = position;
      this.thread = thread;
    }

    /** Claims this waiter's wake-up: true for exactly one caller, who must unpark it. */
    boolean claimWakeUp() {
      return WOKEN.compareAndSet(this, false, true);
    }
  }

  // Guarded by lock.
  FileChannel writer;
  FileChannel reader;

  /**
   * The identities (file keys) of the files {@link #reader} and {@link #writer} were opened on:
   * another process may archive, delete or replace the run, and a state whose file is no longer the
   * run's journal is dropped (see {@link #replaced}).
   */
  Object readerKey;

  Object writerKey;

  /** This JVM's hold on the run's lock file, once a writer or a catching-up reader needs it. */
  ProcessLock processLock;

  /** The {@link ProcessLock#acquisitions} under which this state last checked its files. */
  long filesCheckedAt = -1;

  long scanned;

  /** Reused for encoding batches; see {@link #resetLargeWriteBuffer}. */
  ByteBuffer writeBuffer = ByteBuffer.allocateDirect(SMALL_WRITE_BUFFER);

  long nextLine = 1;
  final Map<String, BranchState> branches = new HashMap<>();
  final Map<String, AppendDecision.PriorId> ids = new HashMap<>();
  String endedBy;
  long lastTs = Long.MIN_VALUE;
  long malformed;
  boolean markerWritten;
  boolean closed;

  /** End of what this process wrote; the periodic sync and close sync up to here. */
  volatile long written;

  /** Events this process wrote, and how many of them the last sync covered (for the observer). */
  volatile long eventsWritten;

  long eventsSynced; // written by the sync leader only

  /** Everything before this offset is on stable storage. Written by the sync leader only. */
  volatile long synced;

  private static final int SMALL_WRITE_BUFFER = 8 * 1024;

  /** A batch grew the write buffer past 1 MiB: let it go rather than keep it per open run. */
  void resetLargeWriteBuffer() {
    if (writeBuffer.capacity() > 1 << 20) {
      writeBuffer = ByteBuffer.allocateDirect(SMALL_WRITE_BUFFER);
    }
  }

  RunState(String run, Path dir) {
    this.run = run;
    this.dir = dir;
    this.journal = dir.resolve("events.jsonl");
    this.lockFile = dir.resolve("events.jsonl.lock");
    this.lock = RunLocks.forFile(journal);
  }

  BranchState branch(String name) {
    return branches.computeIfAbsent(name, ignored -> new BranchState());
  }

  long head(String branchName) {
    BranchState branch = branches.get(branchName);
    return branch == null ? 0 : branch.head;
  }

  /**
   * Opens the reader on the journal, or on its archive when there is no plain journal; returns
   * false if there is neither (yet).
   */
  boolean openReader() throws IOException {
    if (reader == null) {
      try {
        reader = Archives.openForRead(journal);
      } catch (NoSuchFileException e) {
        return false;
      }
      readerKey = Archives.keyOf(reader, journal);
    }
    return true;
  }

  /**
   * Whether the file this state was read from is no longer the run's journal: another process
   * archived, deleted or replaced the run since (one {@code stat}). On a file system without file
   * keys this never says so.
   */
  boolean replaced() throws IOException {
    return reader != null && !Objects.equals(readerKey, Archives.currentKey(journal));
  }

  /**
   * Folds complete lines appended since the last look (by any process) into this state.
   *
   * @param onMalformed told of each malformed line: its 1-based number and the reason
   * @return the bytes after the last complete line (a torn tail, or a write in progress)
   */
  long catchUp(BiConsumer<Long, String> onMalformed) throws IOException {
    if (!openReader()) {
      return 0;
    }
    long size = reader.size();
    if (size < scanned) {
      reset();
    }
    if (size > scanned) {
      LineScanner.Position end =
          LineScanner.scan(
              reader,
              scanned,
              size,
              nextLine,
              (buffer, offset, length, fileOffset, lineNo) -> {
                fold(buffer, offset, length, fileOffset, lineNo, onMalformed);
                return true;
              });
      scanned = end.offset();
      nextLine = end.lineNo();
    }
    if (reader instanceof ArchiveChannel archive) {
      archive.release(); // an archive never grows: keep its size, not its bytes
    }
    return size - scanned;
  }

  private void fold(
      byte[] buffer,
      int offset,
      int length,
      long fileOffset,
      long lineNo,
      BiConsumer<Long, String> onMalformed) {
    Event event;
    try {
      event = EventCodec.parseLine(buffer, offset, length, run);
    } catch (MalformedLineException e) {
      malformed++;
      onMalformed.accept(lineNo, e.getMessage());
      return;
    }
    BranchState branch = branch(event.branch());
    if (event.seq() <= branch.head) {
      malformed++;
      onMalformed.accept(lineNo, outOfSequence(event.seq(), branch.head + 1, event.branch()));
      return;
    }
    // A seq beyond head + 1 follows lines lost to corruption (reported as malformed on their own):
    // the event is whole and acknowledged, so it counts, and the next append continues after it.
    branch.advance(event.seq(), fileOffset, lineNo);
    branch.recent.add(event);
    if (event.id() != null) {
      ids.putIfAbsent(
          event.id(),
          new AppendDecision.PriorId(
              event.branch(), event.seq(), EventCodec.contentHash(event.type(), event.data())));
    }
    lastTs = Math.max(lastTs, event.tsMillis());
    if (endedBy == null && event.isTerminal()) {
      endedBy = event.type();
    }
  }

  static String outOfSequence(long seq, long expected, String branch) {
    return "seq " + seq + " out of order on branch \"" + branch + "\": expected " + expected;
  }

  private void reset() {
    scanned = 0;
    nextLine = 1;
    branches.clear();
    ids.clear();
    endedBy = null;
    lastTs = Long.MIN_VALUE;
    malformed = 0;
  }

  /** Closes the files; the caller holds the lock and has synced what needs syncing. */
  void closeFiles() throws IOException {
    closed = true;
    IOException failure = null;
    if (processLock != null) {
      try {
        processLock.close();
      } catch (IOException e) {
        failure = e;
      }
      processLock = null;
    }
    for (FileChannel channel : new FileChannel[] {writer, reader}) {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException e) {
          if (failure == null) {
            failure = e;
          } else {
            failure.addSuppressed(e);
          }
        }
      }
    }
    writer = null;
    reader = null;
    if (failure != null) {
      throw failure;
    }
  }
}
