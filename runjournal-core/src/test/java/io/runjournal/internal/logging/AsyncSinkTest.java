package io.runjournal.internal.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runjournal.logging.FileSinkOptions;
import io.runjournal.logging.Level;
import io.runjournal.logging.LogEntry;
import io.runjournal.logging.LogRecord;
import io.runjournal.logging.LogSink;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer thread: order, a stuck or throwing delegate, bounded flush and close, a full disk. */
class AsyncSinkTest {
  private static final Instant WHEN = Instant.parse("2025-01-01T12:00:00Z");
  private static final Duration SHORT = Duration.ofMillis(50);

  @TempDir Path dir;
  final CollectingWarnings warnings = new CollectingWarnings();

  static LogEntry entry(int number) {
    return new LogEntry(Level.INFO, "record " + number, WHEN, "test", null, null);
  }

  /** Keeps what it is given; each emit first takes a permit from {@link #gate}, if gated. */
  static final class RecordingSink implements LogSink, Ticking {
    final List<LogRecord> records = new CopyOnWriteArrayList<>();
    final List<Thread> threads = new CopyOnWriteArrayList<>();
    final Semaphore gate = new Semaphore(Integer.MAX_VALUE);
    final Semaphore entered = new Semaphore(0);
    final AtomicInteger closes = new AtomicInteger();
    final CountDownLatch ticked = new CountDownLatch(1);

    @Override
    public void emit(LogRecord record) {
      entered.release();
      gate.acquireUninterruptibly();
      if (record instanceof LogEntry entry && entry.msg().equals("boom")) {
        throw new IllegalStateException("delegate broke on purpose");
      }
      records.add(record);
      threads.add(Thread.currentThread());
    }

    @Override
    public void tick() {
      ticked.countDown();
    }

    @Override
    public void close() {
      closes.incrementAndGet();
    }
  }

  AsyncSink async(LogSink delegate, int capacity) {
    return new AsyncSink(delegate, capacity, warnings, "test sink", Duration.ofSeconds(1), SHORT);
  }

  @Test
  void emit_handsRecordsToTheDelegateInOrder_onTheNamedDaemonWriter() {
    RecordingSink delegate = new RecordingSink();
    AsyncSink sink = async(delegate, 64);
    List<LogRecord> emitted = new ArrayList<>();

    for (int i = 0; i < 5_000; i++) {
      emitted.add(entry(i));
      sink.emit(entry(i));
      if (i % 50 == 0) {
        sink.flush(Duration.ofSeconds(30)); // keep the small queue from overflowing
      }
    }
    sink.flush(Duration.ofSeconds(30));

    assertThat(delegate.records).isEqualTo(emitted);
    assertThat(delegate.threads.get(0).getName()).isEqualTo("runjournal-log-writer");
    assertThat(delegate.threads.get(0).isDaemon()).isTrue();
    assertThat(sink.dropped()).isZero();
    assertThat(warnings.warnings).isEmpty();
    sink.close();
  }

  @Test
  void emit_withAStuckDelegate_neverBlocks_andWarnsOncePerStreakOfDrops() {
    RecordingSink delegate = new RecordingSink();
    delegate.gate.drainPermits();
    AsyncSink sink = async(delegate, 2);

    fillWhileStuck(sink, delegate, 1);
    for (int i = 4; i < 10; i++) {
      sink.emit(entry(i));
    }
    assertThat(sink.dropped()).isEqualTo(6);
    assertThat(warnings.messages())
        .singleElement()
        .asString()
        .contains("test sink")
        .contains("queue of 2 records is full");

    delegate.gate.release(4);
    sink.flush(Duration.ofSeconds(30));
    assertThat(delegate.records).containsExactly(entry(1), entry(2), entry(3));
    sink.emit(entry(10));
    assertThat(warnings.messages().get(1))
        .contains("test sink (its queue) recovered after dropping 6 records");
    sink.flush(Duration.ofSeconds(30));
    assertThat(delegate.records).hasSize(4);

    fillWhileStuck(sink, delegate, 11);
    sink.emit(entry(14));
    assertThat(sink.dropped()).isEqualTo(7);
    assertThat(warnings.messages()).hasSize(3);
    delegate.gate.release(Integer.MAX_VALUE / 2);
    sink.close();
  }

  /** The writer takes the first record and sticks; the next two fill the queue of two. */
  private static void fillWhileStuck(AsyncSink sink, RecordingSink delegate, int first) {
    delegate.entered.drainPermits();
    sink.emit(entry(first));
    delegate.entered.acquireUninterruptibly();
    sink.emit(entry(first + 1));
    sink.emit(entry(first + 2));
  }

  @Test
  void flushAndClose_withAStuckDelegate_giveUpAfterTheirBoundWithAWarning() {
    RecordingSink delegate = new RecordingSink();
    delegate.gate.drainPermits();
    AsyncSink sink = async(delegate, 4);
    sink.emit(entry(1));
    delegate.entered.acquireUninterruptibly();

    sink.flush();
    assertThat(warnings.messages()).singleElement().asString().contains("flush gave up");

    sink.close();
    assertThat(warnings.messages()).hasSize(2);
    assertThat(warnings.messages().get(1)).contains("close gave up");
    assertThat(delegate.closes).as("a stuck writer cannot close the delegate").hasValue(0);

    sink.emit(entry(2));
    assertThat(sink.dropped()).as("emits after close").isEqualTo(1);
    delegate.gate.release(Integer.MAX_VALUE / 2);
  }

  @Test
  void emit_whenTheDelegateThrows_dropsThatRecord_andTheWriterGoesOn() {
    RecordingSink delegate = new RecordingSink();
    AsyncSink sink = async(delegate, 16);

    sink.emit(entry(1));
    sink.emit(new LogEntry(Level.INFO, "boom", WHEN, "test", null, null));
    sink.emit(entry(2));
    sink.flush(Duration.ofSeconds(30));

    assertThat(delegate.records).containsExactly(entry(1), entry(2));
    assertThat(sink.dropped()).isEqualTo(1);
    assertThat(warnings.warnings.get(0).error())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("delegate broke on purpose");
    assertThat(warnings.messages().get(1)).contains("recovered after dropping 1 records");
    sink.close();
  }

  @Test
  void close_handsOverQueuedRecords_closesTheDelegateOnce_andDropsLaterRecords() {
    RecordingSink delegate = new RecordingSink();
    AsyncSink sink = async(delegate, 1_000);
    for (int i = 0; i < 500; i++) {
      sink.emit(entry(i));
    }

    sink.close(Duration.ofSeconds(30));
    sink.close();
    sink.emit(entry(500));
    sink.flush();

    assertThat(delegate.records).hasSize(500);
    assertThat(delegate.closes).hasValue(1);
    assertThat(sink.dropped()).isEqualTo(1);
    assertThat(warnings.warnings).isEmpty();
  }

  @Test
  void idleWriter_ticksATickingDelegate() {
    RecordingSink delegate = new RecordingSink();
    AsyncSink sink = new AsyncSink(delegate, 4, warnings, "test sink", Duration.ofMillis(5), SHORT);

    await().atMost(Duration.ofSeconds(30)).until(() -> delegate.ticked.getCount() == 0);
    sink.close();
  }

  @Test
  void fileSink_onAFullDisk_neverThrowsIntoTheCaller_andWritesAgainOnceThereIsSpace()
      throws IOException {
    TestFileOps ops = new TestFileOps();
    IOException full = new IOException("No space left on device");
    ops.failAllWrites(full);
    Path file = dir.resolve("app.log");
    AsyncSink sink = AsyncSink.writingTo(FileSinkOptions.at(file).withWarnings(warnings), ops);

    for (int i = 0; i < 100; i++) {
      sink.emit(entry(i));
    }
    sink.flush(Duration.ofSeconds(30));

    assertThat(warnings.warnings).singleElement().extracting(w -> w.error()).isSameAs(full);
    ops.heal();
    sink.emit(entry(100));
    sink.close(Duration.ofSeconds(30));

    assertThat(FileSinkTest.wholeRecords(file)).containsExactly(entry(100));
    assertThat(warnings.messages().get(1)).contains("recovered after dropping 100 records");
  }
}
