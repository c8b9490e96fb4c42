package io.runjournal.internal.logging;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import io.runjournal.internal.store.FileOps;
import io.runjournal.logging.FileSinkOptions;
import io.runjournal.logging.LogRecord;
import io.runjournal.logging.LogSink;
import io.runjournal.logging.SinkWarnings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps a sink's I/O off the caller: {@link #emit} only offers the record to a bounded queue, and
 * one daemon platform thread ({@value #THREAD_NAME}) hands the records to the delegate in order.
 * When the queue is full the record is dropped and counted; the first drop of a streak warns, and
 * so does the first accepted record after it. While the queue is idle the writer {@linkplain
 * Ticking#tick() ticks} a delegate that has periodic work (a file sink's fsync).
 *
 * <p>{@link #flush} and {@link #close} wait at most a bound: a stuck delegate makes them give up
 * with a warning, never hang. Anything the delegate throws is contained: the record is dropped with
 * a warning and the writer goes on.
 *
 * <p>Thread-safe. The caller's cost is a volatile read and the queue's offer: records are encoded
 * on the writer thread.
 */
public final class AsyncSink implements LogSink {
  /** The name of every writer thread. */
  public static final String THREAD_NAME = "runjournal-log-writer";

  /** How long {@link #flush()} and {@link #close()} wait at most: five seconds. */
  public static final Duration DEFAULT_BOUND = Duration.ofSeconds(5);

  /** How long the writer waits for a record before it ticks the delegate: one second. */
  public static final Duration DEFAULT_IDLE_TICK = Duration.ofSeconds(1);

  private static final Object STOP = new Object();
  private static final int BATCH = 256;

  private final LogSink delegate;
  private final int capacity;
  private final BlockingQueue<Object> queue;
  private final SinkWarnings warnings;
  private final String name;
  private final long idleTickNanos;
  private final Duration bound;
  private final Thread writer;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicLong dropped = new AtomicLong();
  private final WarningStreak queueFull;

  private final WarningStreak delegateFailures;

  /**
   * A sink that hands records to {@code delegate} on its own thread, ticking it after a second
   * without records, and waiting at most {@link #DEFAULT_BOUND} in flush and close.
   *
   * @param name what the sink writes to, for warnings ({@code "log file /var/log/app.log"})
   * @throws IllegalArgumentException if capacity is less than 1
   */
  public AsyncSink(LogSink delegate, int capacity, SinkWarnings warnings, String name) {
    this(delegate, capacity, warnings, name, DEFAULT_IDLE_TICK, DEFAULT_BOUND);
  }

  /**
   * A sink that hands records to {@code delegate} on its own thread, started here.
   *
   * @param capacity how many records may wait; more are dropped
   * @param warnings where drops and failures are reported
   * @param name what the sink writes to, for warnings ({@code "log file /var/log/app.log"})
   * @param idleTick how long the writer waits for a record before it ticks the delegate
   * @param bound how long flush and close wait at most
   * @throws IllegalArgumentException if capacity is less than 1 or a duration is not positive
   * @throws NullPointerException if an argument is null
   */
  public AsyncSink(
      LogSink delegate,
      int capacity,
      SinkWarnings warnings,
      String name,
      Duration idleTick,
      Duration bound) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
    }
    this.capacity = capacity;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.warnings = Objects.requireNonNull(warnings, "warnings");
    this.name = Objects.requireNonNull(name, "name");
    this.queueFull = new WarningStreak(warnings, name + " (its queue)");
    this.delegateFailures = new WarningStreak(warnings, name);
    this.idleTickNanos = positive("idleTick", idleTick).toNanos();
    this.bound = positive("bound", bound);
    this.writer = Thread.ofPlatform().name(THREAD_NAME).daemon(true).unstarted(this::run);
    writer.start();
  }

  /**
   * The file sink of {@link io.runjournal.logging.Sinks#file}: a {@link FileSink} behind a writer
   * thread, with the queue capacity of the options, ticking at least every second and as often as
   * the fsync interval.
   *
   * @throws NullPointerException if an argument is null
   */
  public static AsyncSink writingTo(FileSinkOptions options, FileOps ops) {
    Objects.requireNonNull(options, "options");
    Duration interval = options.fsyncInterval();
    Duration idleTick = interval.compareTo(DEFAULT_IDLE_TICK) < 0 ? interval : DEFAULT_IDLE_TICK;
    return new AsyncSink(
        new FileSink(options, ops),
        options.queueCapacity(),
        options.warnings(),
        "log file " + options.path(),
        idleTick,
        DEFAULT_BOUND);
  }

  private static Duration positive(String field, Duration value) {
    Objects.requireNonNull(value, field);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(field + " must be positive, got " + value);
    }
    return value;
  }

  /**
   * Queues the record for the writer without blocking; drops it (counted, warned once per streak)
   * if the queue is full, and silently once closed. Never throws; a null record is ignored.
   */
  @Override
  public void emit(LogRecord record) {
    if (closed.get()) {
      dropped.incrementAndGet();
    } else if (record == null) {
      return;
    } else if (queue.offer(record)) {
      queueFull.succeeded();
    } else {
      dropped.incrementAndGet();
      queueFull.failed(
          1,
          name
              + ": the queue of "
              + capacity
              + " records is full; dropping records until the writer catches up",
          null);
    }
  }

  /**
   * Waits at most {@link #DEFAULT_BOUND} (or the bound given at construction) for {@link
   * #flush(Duration)}.
   */
  @Override
  public void flush() {
    flush(bound);
  }

  /**
   * Waits until every record emitted before this call has been handed to the delegate and the
   * delegate has flushed, or gives up with a warning after {@code timeout}. Returns at once when
   * closed. Never throws; an interrupt ends the wait and stays set.
   */
  public void flush(Duration timeout) {
    if (closed.get() || Thread.currentThread() == writer) {
      return; // the writer cannot wait for itself
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    CountDownLatch handed = new CountDownLatch(1);
    try {
      if (!queue.offer(handed, remaining(deadline), NANOSECONDS)
          || !handed.await(remaining(deadline), NANOSECONDS)) {
        warn(name + ": flush gave up after " + timeout + "; " + stuck(), null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** {@link #close(Duration)} with the bound given at construction. */
  @Override
  public void close() {
    close(bound);
  }

  /**
   * Stops accepting records, lets the writer hand over those queued and close the delegate, and
   * waits for that at most {@code timeout}: if the writer is stuck, warns and returns (the thread
   * is a daemon and does not keep the JVM alive). Idempotent; never throws.
   */
  public void close(Duration timeout) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (Thread.currentThread() == writer) {
      queue.offer(STOP); // the writer cannot wait for itself
      return;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      if (!queue.offer(STOP, remaining(deadline), NANOSECONDS)
          || !stopped.await(remaining(deadline), NANOSECONDS)) {
        warn(name + ": close gave up after " + timeout + "; " + stuck(), null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      warn(name + ": close was interrupted; " + queue.size() + " records were still queued", e);
    }
  }

  private String stuck() {
    return "the writer is stuck or behind with " + queue.size() + " records queued";
  }

  private static long remaining(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }

  /** How many records wait for the writer thread now. */
  public int queued() {
    return queue.size();
  }

  /**
   * How many records were dropped: the queue was full, the delegate threw, or the sink was closed.
   * Thread-safe.
   */
  public long dropped() {
    return dropped.get();
  }

  private void run() {
    List<Object> batch = new ArrayList<>(BATCH);
    try {
      while (true) {
        Object first;
        try {
          first = queue.poll(idleTickNanos, NANOSECONDS);
        } catch (InterruptedException e) {
          continue; // nobody but this class owns the thread; only STOP ends it
        }
        if (first == null) {
          tick();
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, BATCH - 1);
        for (int i = 0; i < batch.size(); i++) {
          if (batch.get(i) == STOP) {
            finish(batch.subList(i + 1, batch.size()));
            return;
          }
          hand(batch.get(i));
        }
        batch.clear();
      }
    } finally {
      stopped.countDown();
    }
  }

  private void hand(Object item) {
    if (item instanceof CountDownLatch handed) {
      try {
        delegate.flush();
      } catch (RuntimeException e) {
        delegateFailed(0, name + ": flushing failed", e);
      } finally {
        handed.countDown();
      }
      return;
    }
    try {
      delegate.emit((LogRecord) item);
    } catch (RuntimeException e) {
      dropped.incrementAndGet();
      delegateFailed(1, name + ": writing a record failed; dropped the record", e);
      return;
    }
    delegateFailures.succeeded();
  }

  private void tick() {
    if (delegate instanceof Ticking ticking) {
      try {
        ticking.tick();
      } catch (RuntimeException e) {
        delegateFailed(0, name + ": its periodic work failed", e);
      }
    }
  }

  private void delegateFailed(long records, String message, RuntimeException error) {
    delegateFailures.failed(records, message, error);
  }

  /** After STOP: records that raced with close are dropped, then the delegate closes. */
  private void finish(List<Object> afterStop) {
    List<Object> late = new ArrayList<>(afterStop);
    queue.drainTo(late);
    for (Object item : late) {
      if (item instanceof CountDownLatch handed) {
        handed.countDown();
      } else {
        dropped.incrementAndGet();
      }
    }
    try {
      delegate.close();
    } catch (RuntimeException e) {
      warn(name + ": closing failed", e);
    }
  }

  private void warn(String message, Throwable error) {
    QuietWarnings.warn(warnings, message, error);
  }
}
