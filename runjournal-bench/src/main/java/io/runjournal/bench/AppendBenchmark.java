package io.runjournal.bench;

import io.runjournal.AppendResult;
import io.runjournal.FsyncPolicy;
import io.runjournal.Journal;
import io.runjournal.JournalOptions;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * B1, page-cache append (fsync none), one writer, {@value BenchEvents#LINE_BYTES}-byte events: the
 * journal beside what a user would otherwise write. Every method appends one event per operation
 * (ops/s = events/s) to a file on the same disk.
 *
 * <ul>
 *   <li>{@code journalAppendNone}: {@code journal.append(run, event)}, fsync none; the journal
 *       validates and re-encodes the data, assigns seq and ts, takes its locks and writes.
 *   <li>{@code rawChannelWrite}: the floor — the same line pre-serialised, one {@code write} per
 *       event to a {@code FileChannel} opened with {@code APPEND}.
 *   <li>{@code openAppendClose}: {@code Files.write(path, line, APPEND)} per event.
 *   <li>{@code lockWriteFlush}: per event, {@code new FileOutputStream(file, true)}, {@code
 *       getChannel().lock()}, write, flush, release, close.
 *   <li>{@code lockWriteFlushHeld}: the stream stays open; per event lock, write, flush, release —
 *       the same OS work as the journal's append (a cross-process lock and one write).
 * </ul>
 *
 * Every writer moves to a fresh file every {@value #ROTATE_EVENTS} events (about 300 MiB) and
 * deletes the previous one (the journal: closes it and deletes its data directory), and each
 * iteration starts in a fresh directory that is deleted afterwards. So the disk never fills, and
 * the dirty page cache stays small enough that kernel writeback and dirty-page throttling do not
 * depend on how fast a writer is (the raw write produces about 400 MB/s).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class AppendBenchmark {
  /** Events per file before a writer deletes it and moves to a fresh one (about 300 MiB). */
  static final int ROTATE_EVENTS = 1 << 20;

  /** The journal, fsync none, appending to one run; a fresh journal every ROTATE_EVENTS. */
  @State(Scope.Thread)
  public static class JournalWriter {
    final String run = BenchEvents.runId("append", 1);
    Path dir;
    Journal journal;
    int appended;

    @Setup(Level.Iteration)
    public void open() {
      nextRun();
    }

    /** Drops the current journal and its files and starts an empty one. */
    void nextRun() {
      close();
      dir = TempDirs.create("b1-journal");
      journal = Journal.open(dir, JournalOptions.defaults().withFsync(FsyncPolicy.NONE));
      appended = 0;
    }

    @TearDown(Level.Iteration)
    public void close() {
      if (journal != null) {
        journal.close();
        journal = null;
      }
      TempDirs.delete(dir);
      dir = null;
    }
  }

  /** A {@code FileChannel} opened with {@code APPEND} and the pre-serialised line. */
  @State(Scope.Thread)
  public static class RawWriter {
    final byte[] line = BenchEvents.line(123_456);
    Path dir;
    FileChannel channel;
    int fileNumber;
    int written;

    @Setup(Level.Iteration)
    public void open() throws IOException {
      dir = TempDirs.create("b1-raw");
      fileNumber = 0;
      nextFile();
    }

    void nextFile() throws IOException {
      if (channel != null) {
        channel.close();
        Files.delete(dir.resolve("events-" + fileNumber + ".jsonl"));
      }
      channel =
          FileChannel.open(
              dir.resolve("events-" + ++fileNumber + ".jsonl"),
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.APPEND);
      written = 0;
    }

    @TearDown(Level.Iteration)
    public void close() throws IOException {
      channel.close();
      channel = null;
      TempDirs.delete(dir);
    }
  }

  /** A path to append to, with the pre-serialised line, for the open-per-event baselines. */
  @State(Scope.Thread)
  public static class PathWriter {
    final byte[] line = BenchEvents.line(123_456);
    Path dir;
    Path file;
    int fileNumber;
    int written;

    @Setup(Level.Iteration)
    public void open() throws IOException {
      dir = TempDirs.create("b1-path");
      fileNumber = 0;
      file = null;
      nextFile();
    }

    void nextFile() throws IOException {
      if (file != null) {
        Files.deleteIfExists(file);
      }
      file = dir.resolve("events-" + ++fileNumber + ".jsonl");
      written = 0;
    }

    @TearDown(Level.Iteration)
    public void close() {
      TempDirs.delete(dir);
    }
  }

  /** A {@code FileOutputStream} in append mode held open across events. */
  @State(Scope.Thread)
  public static class HeldStream {
    final byte[] line = BenchEvents.line(123_456);
    Path dir;
    FileOutputStream out;
    int fileNumber;
    int written;

    @Setup(Level.Iteration)
    public void open() throws IOException {
      dir = TempDirs.create("b1-stream");
      fileNumber = 0;
      nextFile();
    }

    void nextFile() throws IOException {
      if (out != null) {
        out.close();
        Files.delete(dir.resolve("events-" + fileNumber + ".jsonl"));
      }
      out = new FileOutputStream(dir.resolve("events-" + ++fileNumber + ".jsonl").toFile(), true);
      written = 0;
    }

    @TearDown(Level.Iteration)
    public void close() throws IOException {
      out.close();
      out = null;
      TempDirs.delete(dir);
    }
  }

  @Benchmark
  public AppendResult journalAppendNone(JournalWriter writer) {
    if (++writer.appended > ROTATE_EVENTS) {
      writer.nextRun();
      writer.appended = 1;
    }
    return writer.journal.append(writer.run, BenchEvents.EVENT);
  }

  @Benchmark
  public int rawChannelWrite(RawWriter writer) throws IOException {
    if (++writer.written > ROTATE_EVENTS) {
      writer.nextFile();
      writer.written = 1;
    }
    ByteBuffer buffer = ByteBuffer.wrap(writer.line);
    int total = 0;
    while (buffer.hasRemaining()) {
      total += writer.channel.write(buffer);
    }
    return total;
  }

  @Benchmark
  public Path openAppendClose(PathWriter writer) throws IOException {
    if (++writer.written > ROTATE_EVENTS) {
      writer.nextFile();
      writer.written = 1;
    }
    return Files.write(
        writer.file, writer.line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  @Benchmark
  public void lockWriteFlush(PathWriter writer) throws IOException {
    if (++writer.written > ROTATE_EVENTS) {
      writer.nextFile();
      writer.written = 1;
    }
    try (FileOutputStream out = new FileOutputStream(writer.file.toFile(), true)) {
      FileLock lock = out.getChannel().lock();
      try {
        out.write(writer.line);
        out.flush();
      } finally {
        lock.release();
      }
    }
  }

  @Benchmark
  public void lockWriteFlushHeld(HeldStream stream) throws IOException {
    if (++stream.written > ROTATE_EVENTS) {
      stream.nextFile();
      stream.written = 1;
    }
    FileLock lock = stream.out.getChannel().lock();
    try {
      stream.out.write(stream.line);
      stream.out.flush();
    } finally {
      lock.release();
    }
  }
}
