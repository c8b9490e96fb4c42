package io.runjournal.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.runjournal.AppendResult;
import io.runjournal.FsyncPolicy;
import io.runjournal.JournalOptions;
import io.runjournal.ReadQuery;
import io.runjournal.StorageException;
import io.runjournal.model.Event;
import io.runjournal.model.NewEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit with fsync always under many concurrent writers, platform and virtual threads: every
 * acknowledged append was covered by a completed force, nothing is lost or duplicated, and a failed
 * force fails every waiter it would have covered without hanging any.
 */
class GroupCommitTest {
  private static final String RUN = "crowd";
  private static final int PLATFORM_WRITERS = 24;
  private static final int VIRTUAL_WRITERS = 40;
  private static final int APPENDS_PER_WRITER = 40;

  @TempDir Path data;

  /**
   * Records where each journal write ended and how far completed forces reach. Single-event appends
   * write once each, under the run lock, so the n-th write holds seq n.
   */
  static final class WatchingOps implements FileOps {
    final Map<Long, Long> writeEnds = new ConcurrentHashMap<>();
    final AtomicLong writes = new AtomicLong();
    final AtomicLong forcedUpTo = new AtomicLong();
    final AtomicInteger forces = new AtomicInteger();
    volatile int failForcesAfter = Integer.MAX_VALUE;

    @Override
    public int write(FileChannel channel, ByteBuffer buffer) throws IOException {
      int written = FileOps.super.write(channel, buffer);
      if (!buffer.hasRemaining()) {
        writeEnds.put(writes.incrementAndGet(), channel.size());
      }
      return written;
    }

    @Override
    public void force(FileChannel channel) throws IOException {
      long reach = channel.size(); // a force covers what was written before it began
      if (forces.incrementAndGet() > failForcesAfter) {
        throw new IOException("Input/output error");
      }
      FileOps.super.force(channel);
      forcedUpTo.accumulateAndGet(reach, Math::max);
    }
  }

  @Test
  void
      manyPlatformAndVirtualWriters_everyAcknowledgementFollowsACoveringForce_andSeqsAreContiguous()
          throws Exception {
    WatchingOps ops = new WatchingOps();
    Queue<Long> acknowledged = new ConcurrentLinkedQueue<>();
    Queue<String> violations = new ConcurrentLinkedQueue<>();
    try (FileJournal journal = FileJournal.open(data, alwaysSync(), ops)) {
      runWriters(
          () -> {
            for (int i = 0; i < APPENDS_PER_WRITER; i++) {
              long seq = journal.append(RUN, NewEvent.of("tick")).last();
              long end = ops.writeEnds.get(seq);
              long forced = ops.forcedUpTo.get();
              if (forced < end) {
                violations.add("seq " + seq + " ends at " + end + ", forced only to " + forced);
              }
              acknowledged.add(seq);
            }
          });

      assertThat(violations).as("appends acknowledged before a covering force").isEmpty();
      assertThat(ops.forces.get())
          .as("forces for %d appends (group commit shares them)", acknowledged.size())
          .isBetween(1, acknowledged.size());
    }

    long total = (long) (PLATFORM_WRITERS + VIRTUAL_WRITERS) * APPENDS_PER_WRITER;
    assertThat(acknowledged).containsExactlyInAnyOrderElementsOf(seqs(total));
    try (FileJournal reopened = FileJournal.open(data, alwaysSync())) {
      List<Long> stored =
          reopened.read(RUN, ReadQuery.all().limit((int) total + 1)).events().stream()
              .map(Event::seq)
              .toList();
      assertThat(stored).containsExactlyElementsOf(seqs(total));
    }
  }

  @Test
  void aForceFailingUnderManyWaiters_failsEveryUncoveredAppend_andWakesEveryWriter()
      throws Exception {
    WatchingOps ops = new WatchingOps();
    ops.failForcesAfter = 25;
    Queue<Long> acknowledged = new ConcurrentLinkedQueue<>();
    Queue<String> violations = new ConcurrentLinkedQueue<>();
    AtomicInteger failed = new AtomicInteger();
    try (FileJournal journal = FileJournal.open(data, alwaysSync(), ops)) {
      runWriters(
          () -> {
            for (int i = 0; i < APPENDS_PER_WRITER; i++) {
              AppendResult result;
              try {
                result = journal.append(RUN, NewEvent.of("tick"));
              } catch (StorageException e) {
                failed.incrementAndGet();
                return; // the run refuses appends from now on
              }
              long end = ops.writeEnds.get(result.last());
              if (ops.forcedUpTo.get() < end) {
                violations.add("seq " + result.last() + " acknowledged without a force");
              }
              acknowledged.add(result.last());
            }
          });
      ops.failForcesAfter = Integer.MAX_VALUE; // the disk recovers, so close can sync
    }

    assertThat(violations).isEmpty();
    assertThat(failed)
        .as("writers that saw the failure")
        .hasValue(PLATFORM_WRITERS + VIRTUAL_WRITERS);
    try (FileJournal reopened = FileJournal.open(data, alwaysSync())) {
      List<Long> stored =
          reopened.read(RUN, ReadQuery.all().limit(100_000)).events().stream()
              .map(Event::seq)
              .toList();
      assertThat(stored).containsAll(acknowledged);
    }
  }

  private static JournalOptions alwaysSync() {
    return JournalOptions.defaults().withFsync(FsyncPolicy.ALWAYS);
  }

  private static List<Long> seqs(long total) {
    return LongStream.rangeClosed(1, total).boxed().toList();
  }

  /** Runs the writer on every platform and virtual thread at once; rethrows what they threw. */
  private static void runWriters(Runnable writer) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    Queue<Throwable> thrown = new ConcurrentLinkedQueue<>();
    Runnable waitingWriter =
        () -> {
          try {
            start.await();
            writer.run();
          } catch (Throwable e) {
            thrown.add(e);
          }
        };
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < PLATFORM_WRITERS; i++) {
      threads.add(Thread.ofPlatform().start(waitingWriter));
    }
    for (int i = 0; i < VIRTUAL_WRITERS; i++) {
      threads.add(Thread.ofVirtual().start(waitingWriter));
    }
    start.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(thrown).isEmpty();
  }
}
