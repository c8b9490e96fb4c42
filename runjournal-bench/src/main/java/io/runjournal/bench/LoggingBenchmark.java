package io.runjournal.bench;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import io.runjournal.internal.logging.AsyncSink;
import io.runjournal.internal.store.FileOps;
import io.runjournal.logging.Attributes;
import io.runjournal.logging.FileSinkOptions;
import io.runjournal.logging.Logger;
import io.runjournal.logging.Logging;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
 * B7: the time a caller spends in one {@code Logger.info} call with four attributes that goes to
 * the file sink, on one thread (JMH sample mode: the median and the tail of single calls).
 *
 * <ul>
 *   <li>{@code runjournalInfo}, disk {@code healthy}: the whole host path — the timestamp, the
 *       attribute copy, redaction, the record, the hand-off to the sink's queue. The writer thread
 *       encodes and writes the line. Before a call, the benchmark waits (untimed) while more than
 *       1,024 records are queued, so that every call takes the normal path, none the drop path: a
 *       tight loop on one core logs faster than any file takes lines, which is not what B7 asks.
 *   <li>disk {@code stuck}: every write blocks forever (a hung NFS mount): the queue fills and
 *       later records are dropped; the caller must still return at once.
 *   <li>disk {@code full}: every write fails with "No space left on device": records are dropped
 *       with a warning per failure streak; the caller must not notice.
 *   <li>{@code logbackAsyncInfo}, the baseline: what an application would otherwise use — SLF4J's
 *       fluent API with the same four key-value pairs into logback's {@code AsyncAppender}
 *       (never-block, same queue size) in front of a {@code FileAppender} with a pattern layout,
 *       paced the same way.
 * </ul>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class LoggingBenchmark {
  static final int QUEUE = FileSinkOptions.DEFAULT_QUEUE_CAPACITY;
  static final int PACE_ABOVE = 1024;

  /** A host with the RunJournal file sink, on a healthy, stuck or full disk. */
  @State(Scope.Thread)
  public static class RunJournalFile {
    @Param({"healthy", "stuck", "full"})
    public String disk;

    Path dir;
    AsyncSink sink;
    Logging logging;
    Logger logger;
    long attempt;
    final CountDownLatch unstick = new CountDownLatch(1);

    @Setup(Level.Trial)
    public void open() {
      dir = TempDirs.create("logging");
      FileOps ops =
          switch (disk) {
            case "healthy" -> FileOps.DEFAULT;
            case "stuck" -> new StuckDisk(unstick);
            case "full" -> new FullDisk();
            default -> throw new IllegalArgumentException("disk: " + disk);
          };
      FileSinkOptions options =
          FileSinkOptions.at(dir.resolve("bench.jsonl"))
              .withQueueCapacity(QUEUE)
              .withWarnings((message, error) -> {});
      sink = AsyncSink.writingTo(options, ops);
      logging = Logging.builder().sink(sink).warnings((message, error) -> {}).build();
      logger = logging.logger("agent.planner");
    }

    @Setup(Level.Invocation)
    public void pace() {
      if (disk.equals("healthy") && sink.queued() > PACE_ABOVE) {
        while (sink.queued() > 0) {
          Thread.onSpinWait();
        }
      }
    }

    @TearDown(Level.Trial)
    public void close() {
      unstick.countDown();
      logging.close();
      System.out.printf("%n[b7] disk %s: %,d records dropped by the sink%n", disk, sink.dropped());
      TempDirs.delete(dir);
    }
  }

  /** The baseline: logback's AsyncAppender in front of a FileAppender. */
  @State(Scope.Thread)
  public static class LogbackFile {
    Path dir;
    LoggerContext context;
    AsyncAppender async;
    org.slf4j.Logger logger;
    long attempt;

    @Setup(Level.Trial)
    public void open() {
      dir = TempDirs.create("logback");
      context = new LoggerContext();
      PatternLayoutEncoder encoder = new PatternLayoutEncoder();
      encoder.setContext(context);
      encoder.setPattern("%d{ISO8601} %level %logger %msg %kvp%n");
      encoder.start();
      FileAppender<ILoggingEvent> file = new FileAppender<>();
      file.setContext(context);
      file.setFile(dir.resolve("bench.log").toString());
      file.setEncoder(encoder);
      file.start();
      async = new AsyncAppender();
      async.setContext(context);
      async.setQueueSize(QUEUE);
      async.setDiscardingThreshold(0);
      async.setNeverBlock(true);
      async.addAppender(file);
      async.start();
      ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
      root.setLevel(ch.qos.logback.classic.Level.INFO);
      root.addAppender(async);
      logger = context.getLogger("agent.planner");
    }

    @Setup(Level.Invocation)
    public void pace() {
      if (async.getNumberOfElementsInQueue() > PACE_ABOVE) {
        while (async.getNumberOfElementsInQueue() > 0) {
          Thread.onSpinWait();
        }
      }
    }

    @TearDown(Level.Trial)
    public void close() {
      context.stop();
      TempDirs.delete(dir);
    }
  }

  @Benchmark
  public void runjournalInfo(RunJournalFile state) {
    state.logger.info(
        "tool call finished",
        Attributes.of("tool", "search", "durationMs", 42, "ok", true, "attempt", state.attempt++));
  }

  @Benchmark
  public void logbackAsyncInfo(LogbackFile state) {
    state
        .logger
        .atInfo()
        .addKeyValue("tool", "search")
        .addKeyValue("durationMs", 42)
        .addKeyValue("ok", true)
        .addKeyValue("attempt", state.attempt++)
        .log("tool call finished");
  }

  /** Every write blocks until the trial ends: a hung mount. */
  static final class StuckDisk implements FileOps {
    private final CountDownLatch unstick;

    StuckDisk(CountDownLatch unstick) {
      this.unstick = unstick;
    }

    @Override
    public int write(FileChannel channel, ByteBuffer buffer) throws IOException {
      try {
        unstick.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while stuck", e);
      }
      throw new IOException("the disk came back too late");
    }
  }

  /** Every write fails as on a full disk. */
  static final class FullDisk implements FileOps {
    @Override
    public int write(FileChannel channel, ByteBuffer buffer) throws IOException {
      throw new IOException("No space left on device");
    }
  }
}
