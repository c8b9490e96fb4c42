package io.runjournal.bench;

import io.runjournal.AppendResult;
import io.runjournal.JournalOptions;
import io.runjournal.internal.store.FileJournal;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * B2, durable append (fsync always): 1, 8 and 64 writers appending to ONE run, so that concurrent
 * appends share an {@code fdatasync} (group commit), beside the disk's own single-thread
 * write-and-{@code fdatasync} rate.
 *
 * <p>The journal runs on {@link CountingFileOps}, which counts its writes and forces. The secondary
 * metric {@code fsyncs} (ops/s) is the rate of {@code fdatasync} calls the journal made; the mean
 * group-commit batch is the primary score (events/s) divided by it, and each iteration also prints
 * it measured directly (events written / forces).
 *
 * <p>The {@code @Threads} variants write from JMH's platform threads; the {@code Virtual} variants
 * from virtual threads started per invocation, the writer model of the server.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class DurableAppendBenchmark {

  /** One journal with fsync always, shared by every writer thread, all appending to one run. */
  @State(Scope.Benchmark)
  public static class SharedJournal {
    final String run = BenchEvents.runId("durable", 1);
    Path dir;
    CountingFileOps ops;
    FileJournal journal;

    @Setup(Level.Iteration)
    public void open() {
      dir = TempDirs.create("b2-journal");
      ops = new CountingFileOps();
      journal = FileJournal.open(dir, JournalOptions.defaults(), ops);
      journal.append(run, BenchEvents.EVENT);
      ops.reset();
    }

    @TearDown(Level.Iteration)
    public void close() {
      long events = ops.writes();
      long forces = ops.forces();
      System.out.printf(
          Locale.ROOT,
          "%n[group commit] %d events in %d fdatasyncs: mean batch %.2f events/fdatasync%n",
          events,
          forces,
          forces == 0 ? 0.0 : (double) events / forces);
      journal.close();
      TempDirs.delete(dir);
    }
  }

  /** A file opened with {@code APPEND}, for the raw write-and-fdatasync rate of the disk. */
  @State(Scope.Thread)
  public static class RawSyncFile {
    final byte[] line = BenchEvents.line(123_456);
    final byte[] batch = repeat(line, RAW_BATCH_LINES);
    Path dir;
    FileChannel channel;

    @Setup(Level.Iteration)
    public void open() throws IOException {
      dir = TempDirs.create("b2-raw");
      channel =
          FileChannel.open(
              dir.resolve("events.jsonl"),
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.APPEND);
    }

    @TearDown(Level.Iteration)
    public void close() throws IOException {
      channel.close();
      TempDirs.delete(dir);
    }
  }

  /** Lines per write in {@link #rawFdatasyncBatch}. */
  static final int RAW_BATCH_LINES = 32;

  static byte[] repeat(byte[] line, int times) {
    byte[] all = new byte[line.length * times];
    for (int i = 0; i < times; i++) {
      System.arraycopy(line, 0, all, i * line.length, line.length);
    }
    return all;
  }

  @Benchmark
  @Threads(1)
  public AppendResult journalAppendAlways1(SharedJournal shared, FsyncCounter fsyncs) {
    return shared.journal.append(shared.run, BenchEvents.EVENT);
  }

  @Benchmark
  @Threads(8)
  public AppendResult journalAppendAlways8(SharedJournal shared, FsyncCounter fsyncs) {
    return shared.journal.append(shared.run, BenchEvents.EVENT);
  }

  @Benchmark
  @Threads(64)
  public AppendResult journalAppendAlways64(SharedJournal shared, FsyncCounter fsyncs) {
    return shared.journal.append(shared.run, BenchEvents.EVENT);
  }

  /** Appends per virtual writer per invocation of the virtual-thread benchmarks. */
  static final int VIRTUAL_APPENDS = 200;

  /**
   * 64 writers on virtual threads, as the server runs its requests: per invocation, 64 fresh
   * virtual threads each make {@value #VIRTUAL_APPENDS} durable appends, and the invocation ends
   * when the last one is acknowledged, so the score counts only acknowledged events and includes
   * the ramp-up and the tail of each invocation. Forces are counted from the journal's {@code
   * FileOps}, whichever virtual thread led them.
   */
  @Benchmark
  @Threads(1)
  @OperationsPerInvocation(64 * VIRTUAL_APPENDS)
  public void journalAppendAlways64Virtual(SharedJournal shared, FsyncCounter fsyncs)
      throws InterruptedException {
    appendOnVirtualThreads(shared, fsyncs, 64);
  }

  /**
   * The 1-writer rate on a virtual thread, the baseline of {@link #journalAppendAlways64Virtual}.
   */
  @Benchmark
  @Threads(1)
  @OperationsPerInvocation(VIRTUAL_APPENDS)
  public void journalAppendAlways1Virtual(SharedJournal shared, FsyncCounter fsyncs)
      throws InterruptedException {
    appendOnVirtualThreads(shared, fsyncs, 1);
  }

  private static void appendOnVirtualThreads(SharedJournal shared, FsyncCounter fsyncs, int writers)
      throws InterruptedException {
    long forcesBefore = shared.ops.forces();
    Thread[] threads = new Thread[writers];
    for (int i = 0; i < writers; i++) {
      threads[i] =
          Thread.ofVirtual()
              .start(
                  () -> {
                    for (int n = 0; n < VIRTUAL_APPENDS; n++) {
                      shared.journal.append(shared.run, BenchEvents.EVENT);
                    }
                  });
    }
    for (Thread thread : threads) {
      thread.join();
    }
    fsyncs.fsyncs += shared.ops.forces() - forcesBefore;
  }

  /** The disk's floor: write one line, then {@code force(false)} ({@code fdatasync}). */
  @Benchmark
  @Threads(1)
  public int rawFdatasync(RawSyncFile file) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(file.line);
    int total = 0;
    while (buffer.hasRemaining()) {
      total += file.channel.write(buffer);
    }
    file.channel.force(/* metaData= */ false);
    return total;
  }

  /**
   * Diagnostic: {@value #RAW_BATCH_LINES} lines in one write, then {@code fdatasync}; ops/s is
   * fdatasync/s. Beside {@link #rawFdatasync} it shows whether an fdatasync costs more when it
   * carries a group-commit batch rather than one line.
   */
  @Benchmark
  @Threads(1)
  public int rawFdatasyncBatch(RawSyncFile file) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(file.batch);
    int total = 0;
    while (buffer.hasRemaining()) {
      total += file.channel.write(buffer);
    }
    file.channel.force(/* metaData= */ false);
    return total;
  }
}
