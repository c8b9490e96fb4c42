package io.runjournal.internal.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * This JVM's hold on one run's {@code events.jsonl.lock}: one per lock file per JVM, shared by
 * every journal instance, because POSIX record locks belong to the process, not to a descriptor.
 *
 * <h2>Byte ranges of the lock file</h2>
 *
 * <ul>
 *   <li>byte 0, the <em>append lock</em>: exclusive for a writer, shared for a reader folding in
 *       lines another process appended;
 *   <li>byte 1, <em>presence</em>: every process that has the run open holds it shared, for as long
 *       as it does.
 * </ul>
 *
 * <h2>The sticky append lock</h2>
 *
 * Taking and dropping the append lock costs two {@code fcntl} calls per append, more than the write
 * itself. So a writer that is <em>alone</em> (no other process holds presence: an exclusive probe
 * of byte 1 succeeds) keeps the append lock between appends. It checks again at least every {@link
 * #ALONE_CHECK_NANOS}, and a reaper drops the lock once the run has been idle that long, so a
 * process that arrives (and takes presence first) waits about a millisecond. While another process
 * is present, the lock is dropped after every append.
 *
 * <p>Every method except {@link #open} must be called under the run's {@link RunLocks} lock, which
 * serialises all users of one lock file in this JVM.
 */
final class ProcessLock {
  static final long ALONE_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private static final ConcurrentHashMap<Path, ProcessLock> OPEN = new ConcurrentHashMap<>();
  private static final ScheduledExecutorService REAPER =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("runjournal-lock-reaper").daemon().factory());
  private static volatile ScheduledFuture<?> reaping; // written under OPEN's monitor

  /** How many sticky append locks this JVM holds: the reaper runs only while there are any. */
  private static final AtomicInteger STICKY = new AtomicInteger();

  private final Path path;
  private final ReentrantLock runLock;
  private FileChannel channel;
  private Object fileKey; // of the file channel was opened on
  private FileLock presence;
  private FileLock sticky;
  private int users;
  private boolean alone;
  private long lastAloneCheck;
  private long lastUse;

  /** Size of the journal after the last append made under the sticky lock, or -1 if unknown. */
  long knownSize = -1;

  /**
   * Counts the times this JVM took the append lock afresh. Several journals of one JVM share this
   * hold: a run state that has not checked its files since the last fresh take must check them even
   * when the lock it finds is still held (another journal took it after a delete).
   */
  long acquisitions;

  private ProcessLock(Path path, ReentrantLock runLock) {
    this.path = path;
    this.runLock = runLock;
  }

  /** Opens (or shares) this JVM's hold on {@code lockFile}; the caller holds {@code runLock}. */
  static ProcessLock open(Path lockFile, ReentrantLock runLock, long budgetNanos)
      throws IOException {
    ProcessLock lock =
        OPEN.computeIfAbsent(RunLocks.canonical(lockFile), path -> new ProcessLock(path, runLock));
    if (lock.channel != null && lock.channel.isOpen() && lock.replaced(lockFile)) {
      // The run was deleted (or its directory replaced) by another process: locks on the old file
      // exclude nobody any more. Closing the channel drops every lock this JVM held on it.
      lock.channel.close();
    }
    if (lock.channel == null || !lock.channel.isOpen()) {
      lock.channel =
          FileChannel.open(
              lockFile,
              StandardOpenOption.CREATE,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE);
      lock.fileKey = Archives.fileKey(lockFile);
      lock.presence = null;
      lock.forgetSticky();
      lock.knownSize = -1;
    }
    if (lock.presence == null || !lock.presence.isValid()) {
      try {
        lock.presence = lock.poll(1, /* shared= */ true, budgetNanos);
      } catch (LockBusyException e) {
        lock.presence = null; // best effort: only costs other processes their sticky lock
      }
    }
    lock.users++;
    return lock;
  }

  /**
   * Whether {@code lockFile} is no longer the file this hold was opened on. (The key is read just
   * after opening the file: only a delete and a re-create by two other processes between those two
   * system calls could make it the key of another file.)
   */
  private boolean replaced(Path lockFile) throws IOException {
    return fileKey != null && !fileKey.equals(Archives.fileKey(lockFile));
  }

  /** Drops one user; the last one closes the file, which releases every lock of this JVM on it. */
  void close() throws IOException {
    if (--users > 0) {
      return;
    }
    forgetSticky();
    presence = null;
    knownSize = -1;
    synchronized (OPEN) {
      OPEN.remove(path, this);
      if (OPEN.isEmpty() && reaping != null) {
        reaping.cancel(false);
        reaping = null;
      }
    }
    channel.close();
  }

  /**
   * Takes the append lock, exclusively, within {@code budgetNanos}.
   *
   * @return false if it is still held from an earlier append (no other process can have written
   *     since), true if it was taken afresh
   * @throws LockBusyException when the budget runs out (or the wait is interrupted)
   */
  boolean lockExclusive(long budgetNanos) throws IOException {
    if (sticky != null && sticky.isValid()) {
      return false;
    }
    forgetSticky();
    sticky = poll(0, /* shared= */ false, budgetNanos);
    STICKY.incrementAndGet();
    knownSize = -1;
    acquisitions++;
    return true;
  }

  /** Ends an append: keeps the append lock if this process is alone, else drops it. */
  void unlockExclusive(long journalSize) throws IOException {
    long now = System.nanoTime();
    lastUse = now;
    if (now - lastAloneCheck >= ALONE_CHECK_NANOS) {
      alone = probeAlone();
      lastAloneCheck = now;
    }
    if (alone && sticky != null && sticky.isValid()) {
      knownSize = journalSize;
      scheduleReaper();
    } else {
      dropSticky();
    }
  }

  /** Drops the append lock after a failed append, whatever the presence of others. */
  void abandonExclusive() throws IOException {
    dropSticky();
  }

  /**
   * Takes the append lock shared, for a reader, unless this JVM holds it exclusively already.
   *
   * @return the lock to release, or null when none was needed
   */
  FileLock lockShared(long budgetNanos) throws IOException {
    if (sticky != null && sticky.isValid()) {
      return null;
    }
    return poll(0, /* shared= */ true, budgetNanos);
  }

  private void dropSticky() throws IOException {
    knownSize = -1;
    if (sticky != null) {
      FileLock held = sticky;
      forgetSticky();
      if (held.isValid()) {
        held.release();
      }
    }
  }

  /** Forgets the sticky lock (without releasing it: the caller does, or its channel is gone). */
  private void forgetSticky() {
    if (sticky != null) {
      sticky = null;
      STICKY.decrementAndGet();
    }
  }

  /** Whether no other process holds presence: an exclusive probe of byte 1 succeeds. */
  private boolean probeAlone() throws IOException {
    if (presence != null && presence.isValid()) {
      presence.release();
    }
    presence = null;
    FileLock probe = tryLock(1, /* shared= */ false);
    if (probe != null) {
      probe.release();
    }
    for (int attempt = 0; presence == null && attempt < 1000; attempt++) {
      presence = tryLock(1, /* shared= */ true);
      if (presence == null) {
        Thread.onSpinWait(); // another process is probing: it holds byte 1 for microseconds
      }
    }
    return probe != null;
  }

  /** The lock, or null while another process (or a foreign channel of this JVM) holds it. */
  private FileLock tryLock(long position, boolean shared) throws IOException {
    try {
      return channel.tryLock(position, 1, shared);
    } catch (OverlappingFileLockException e) {
      return null;
    }
  }

  private FileLock poll(long position, boolean shared, long budgetNanos)
      throws IOException, LockBusyException {
    long start = System.nanoTime();
    long pause = 1;
    while (true) {
      FileLock lock = tryLock(position, shared);
      if (lock != null) {
        return lock;
      }
      long waited = System.nanoTime() - start;
      if (waited >= budgetNanos) {
        throw new LockBusyException(waited);
      }
      try {
        Thread.sleep(Math.min(pause, TimeUnit.NANOSECONDS.toMillis(budgetNanos - waited) + 1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LockBusyException(System.nanoTime() - start);
      }
      pause = Math.min(pause * 2, 10);
    }
  }

  /** The append lock was not had within the budget. */
  static final class LockBusyException extends IOException {
    private static final long serialVersionUID = 1L;
    final long waitedNanos;

    LockBusyException(long waitedNanos) {
      super("lock busy", null);
      this.waitedNanos = waitedNanos;
    }
  }

  /** Runs the reaper (every millisecond) while this JVM holds a sticky lock. */
  private static void scheduleReaper() {
    if (reaping != null) {
      return;
    }
    synchronized (OPEN) {
      if (reaping == null) {
        reaping =
            REAPER.scheduleWithFixedDelay(
                ProcessLock::reap, ALONE_CHECK_NANOS, ALONE_CHECK_NANOS, TimeUnit.NANOSECONDS);
      }
    }
  }

  /** Drops sticky locks of idle runs, and of runs another process has joined. */
  private static void reap() {
    for (ProcessLock lock : OPEN.values()) {
      if (!lock.runLock.tryLock()) {
        continue; // an append is in progress; it checks for itself
      }
      try {
        if (lock.sticky == null || !lock.sticky.isValid()) {
          continue;
        }
        long now = System.nanoTime();
        if (now - lock.lastUse >= ALONE_CHECK_NANOS) {
          lock.dropSticky();
        } else if (now - lock.lastAloneCheck >= ALONE_CHECK_NANOS) {
          lock.alone = lock.probeAlone();
          lock.lastAloneCheck = now;
          if (!lock.alone) {
            lock.dropSticky();
          }
        }
      } catch (IOException e) {
        lock.forgetSticky();
        lock.knownSize = -1;
      } finally {
        lock.runLock.unlock();
      }
    }
    stopIfNothingSticky();
  }

  /**
   * Stops the reaper when no sticky lock is held. It clears {@code reaping} before it reads the
   * count, and {@link #scheduleReaper} reads {@code reaping} after the count went up, so one of the
   * two always sees the other: a lock that turns sticky meanwhile gets the reaper back.
   */
  private static void stopIfNothingSticky() {
    if (STICKY.get() > 0) {
      return;
    }
    synchronized (OPEN) {
      ScheduledFuture<?> current = reaping;
      reaping = null;
      if (STICKY.get() > 0) {
        reaping = current;
      } else if (current != null) {
        current.cancel(false);
      }
    }
  }
}
