package io.runjournal.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A model of the journal's durable append path without the journal — lock, write one line, unlock,
 * then wait for an {@code fdatasync} covering it — to compare two group-commit protocols with 64
 * writers on one file:
 *
 * <ul>
 *   <li>{@code forceUnderLock}: what {@code FileJournal.syncTo} does today: a waiter takes the sync
 *       lock, and the holder forces while holding it, so writers already covered by a running force
 *       queue behind it and are released one by one, while newly arriving writers barge in and
 *       force small batches;
 *   <li>{@code leaderFollower}: the leader forces outside the lock with a {@code syncing} flag;
 *       followers wait on a condition and are all woken when the force that covers them ends; the
 *       first uncovered waiter becomes the next leader at once;
 *   <li>{@code parkedWaiters}: no lock on the sync path: a CAS elects the leader, waiters park in a
 *       queue, and the leader unparks exactly the writers its force covered plus one uncovered
 *       writer to lead the next force;
 *   <li>{@code parkedStickyLeader}: the same, but a leader that finds unsynced writes after its
 *       force forces again at once (at most {@value Log#MAX_EXTRA_ROUNDS} extra times), releasing
 *       the covered writers after each force, so no wake-up latency separates two forces.
 * </ul>
 *
 * The secondary metric {@code fsyncs} is the rate of {@code fdatasync} calls; each iteration also
 * prints the mean batch (lines per {@code fdatasync}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(64)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class GroupCommitBenchmark {

  /** One file, its append lock and the sync state, shared by every writer. */
  @State(Scope.Benchmark)
  public static class Log {
    @Param({"forceUnderLock", "leaderFollower", "parkedWaiters", "parkedStickyLeader"})
    public String protocol;

    final byte[] line = BenchEvents.line(123_456);
    final ReentrantLock appendLock = new ReentrantLock();
    final ReentrantLock syncLock = new ReentrantLock();
    final Condition syncDone = syncLock.newCondition();
    final LongAdder forces = new LongAdder();
    final LongAdder lines = new LongAdder();
    boolean leaderFollower;
    boolean parkedWaiters;
    boolean stickyLeader;
    final AtomicBoolean forcing = new AtomicBoolean();
    final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    Path dir;
    FileChannel channel;
    volatile long written;
    volatile long synced;
    boolean syncing; // guarded by syncLock

    @Setup(Level.Iteration)
    public void open() throws IOException {
      leaderFollower = protocol.equals("leaderFollower");
      parkedWaiters = protocol.startsWith("parked");
      stickyLeader = protocol.equals("parkedStickyLeader");
      dir = TempDirs.create("group-commit");
      channel =
          FileChannel.open(
              dir.resolve("events.jsonl"),
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.APPEND);
      written = 0;
      synced = 0;
      forces.reset();
      lines.reset();
    }

    @TearDown(Level.Iteration)
    public void close() throws IOException {
      long count = lines.sum();
      long forced = forces.sum();
      System.out.printf(
          Locale.ROOT,
          "%n[%s] %d lines in %d fdatasyncs: mean batch %.2f%n",
          protocol,
          count,
          forced,
          forced == 0 ? 0.0 : (double) count / forced);
      channel.close();
      TempDirs.delete(dir);
    }

    long append() throws IOException {
      appendLock.lock();
      try {
        ByteBuffer buffer = ByteBuffer.wrap(line);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        written += line.length;
        lines.increment();
        return written;
      } finally {
        appendLock.unlock();
      }
    }

    /** FileJournal.syncTo as it is: force while holding the sync lock. */
    void syncToUnderLock(long position) throws IOException {
      if (synced >= position) {
        return;
      }
      syncLock.lock();
      try {
        if (synced >= position) {
          return;
        }
        long target = written;
        force();
        synced = Math.max(synced, target);
      } finally {
        syncLock.unlock();
      }
    }

    /** The proposed protocol: force outside the lock, wake every covered waiter at once. */
    void syncToLeaderFollower(long position) throws IOException {
      if (synced >= position) {
        return;
      }
      syncLock.lock();
      try {
        while (synced < position) {
          if (syncing) {
            syncDone.awaitUninterruptibly();
            continue;
          }
          syncing = true;
          long target = written;
          syncLock.unlock();
          boolean forced = false;
          try {
            force();
            forced = true;
          } finally {
            syncLock.lock();
            syncing = false;
            if (forced) {
              synced = Math.max(synced, target);
            }
            syncDone.signalAll();
          }
        }
      } finally {
        syncLock.unlock();
      }
    }

    /** How many forces a sticky leader makes for others after its own before handing over. */
    static final int MAX_EXTRA_ROUNDS = 4;

    /** A writer parked until {@code synced} reaches its position. */
    record Waiter(long position, Thread thread) {}

    /**
     * The lock-free variant: the leader is elected by a CAS, forces, publishes {@code synced}, then
     * unparks exactly the waiters it covered plus the first one it did not (the next leader).
     * Waiters never take a lock, so a finished force costs each covered writer one unpark.
     */
    void syncToParked(long position) throws IOException {
      Waiter self = null;
      try {
        while (synced < position) {
          if (forcing.compareAndSet(false, true)) {
            boolean forced = false;
            try {
              int rounds = 0;
              do {
                long target = written;
                force();
                forced = true;
                synced = Math.max(synced, target);
                if (stickyLeader && synced < written) {
                  wakeAfterForce(true, false); // release the covered writers, keep leading
                }
              } while (stickyLeader && synced < written && ++rounds < MAX_EXTRA_ROUNDS);
            } finally {
              forcing.set(false);
              wakeAfterForce(forced, true);
            }
          } else {
            if (self == null) {
              self = new Waiter(position, Thread.currentThread());
              waiters.add(self);
              continue; // re-check: the force may have ended before we were queued
            }
            LockSupport.park(this);
          }
        }
      } finally {
        if (self != null) {
          waiters.remove(self);
        }
      }
    }

    private void wakeAfterForce(boolean forced, boolean wakeNextLeader) {
      long covered = synced;
      boolean nextLeaderWoken = !wakeNextLeader;
      for (Waiter waiter : waiters) {
        if (forced && waiter.position() <= covered) {
          LockSupport.unpark(waiter.thread());
        } else if (!nextLeaderWoken) {
          LockSupport.unpark(waiter.thread());
          nextLeaderWoken = true;
        }
      }
    }

    private void force() throws IOException {
      channel.force(/* metaData= */ false);
      forces.increment();
      FsyncCounter.forced();
    }
  }

  @Benchmark
  public long appendAndSync(Log log, FsyncCounter fsyncs) {
    try {
      long position = log.append();
      if (log.leaderFollower) {
        log.syncToLeaderFollower(position);
      } else if (log.parkedWaiters) {
        log.syncToParked(position);
      } else {
        log.syncToUnderLock(position);
      }
      return position;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
