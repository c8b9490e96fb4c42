package io.runjournal.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.runjournal.internal.json.EventCodec;
import io.runjournal.internal.json.MalformedLineException;
import io.runjournal.internal.json.PreparedEvent;
import io.runjournal.internal.json.Timestamps;
import io.runjournal.model.Event;
import io.runjournal.model.Ids;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
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
 * The steps of one journal append (and of one replayed line) measured alone, in ns/op, to explain
 * B1 and B3: where the time between a raw {@code write} and {@code journal.append} goes.
 *
 * <ul>
 *   <li>{@code prepare}: {@code EventCodec.prepare} — validate ids, parse and re-encode {@code
 *       data} with Jackson, hash it (outside the locks, once per event);
 *   <li>{@code encodeLine}: {@code Timestamps.format} + {@code EventCodec.encodeLine} + UTF-8 bytes
 *       of the line with its newline (under the locks);
 *   <li>{@code tryLockRelease}: {@code FileChannel.tryLock()} + {@code release()} on the open
 *       journal channel (two {@code fcntl} calls and the JVM's lock table);
 *   <li>{@code channelSize}: {@code FileChannel.size()} ({@code fstat}), what every append's
 *       catch-up check costs;
 *   <li>{@code openCloseReadChannel}: what every read pays to open the journal fresh;
 *   <li>{@code parseLine}: {@code EventCodec.parseLine} of one 300-byte line (replay, per event);
 *   <li>{@code validateIds}: the regex checks of run id, branch and type an append makes;
 *   <li>{@code contentHash}: the FNV-1a hash of type and data {@code prepare} computes;
 *   <li>{@code validateDataOnly}: a Jackson parse of {@code data} that only validates (no
 *       generator, no copy): the cost of {@code prepare} if already-canonical input were kept as it
 *       is.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class BreakdownBenchmark {
  private static final JsonFactory JSON =
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  /** One journal-like file with an append channel and a read channel, and a prepared event. */
  @State(Scope.Thread)
  public static class Steps {
    final String run = BenchEvents.runId("raw", 1);
    final byte[] line = BenchEvents.line(123_456);
    final String ts = Timestamps.format(System.currentTimeMillis());
    PreparedEvent prepared;
    Path dir;
    Path journal;
    FileChannel writer;
    FileChannel reader;

    @Setup(Level.Trial)
    public void open() throws IOException {
      prepared = EventCodec.prepare(BenchEvents.EVENT);
      dir = TempDirs.create("breakdown");
      journal = dir.resolve("events.jsonl");
      Files.write(journal, line);
      writer =
          FileChannel.open(
              journal,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.APPEND);
      reader = FileChannel.open(journal, StandardOpenOption.READ);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
      writer.close();
      reader.close();
      TempDirs.delete(dir);
    }
  }

  @Benchmark
  public PreparedEvent prepare() {
    return EventCodec.prepare(BenchEvents.EVENT);
  }

  @Benchmark
  public byte[] encodeLine(Steps steps) {
    String timestamp = Timestamps.format(System.currentTimeMillis());
    String text =
        EventCodec.encodeLine(123_456, timestamp, steps.run, Ids.MAIN_BRANCH, steps.prepared);
    return (text + "\n").getBytes(StandardCharsets.UTF_8);
  }

  @Benchmark
  public boolean tryLockRelease(Steps steps) throws IOException {
    FileLock lock = steps.writer.tryLock();
    boolean held = lock != null;
    if (held) {
      lock.release();
    }
    return held;
  }

  @Benchmark
  public long channelSize(Steps steps) throws IOException {
    return steps.reader.size();
  }

  @Benchmark
  public long openCloseReadChannel(Steps steps) throws IOException {
    try (FileChannel channel = FileChannel.open(steps.journal, StandardOpenOption.READ)) {
      return channel.position();
    }
  }

  @Benchmark
  public String validateIds(Steps steps) {
    Ids.requireRunId(steps.run);
    Ids.requireBranch(Ids.MAIN_BRANCH);
    return Ids.requireType(BenchEvents.TYPE);
  }

  @Benchmark
  public long contentHash() {
    return EventCodec.contentHash(BenchEvents.TYPE, BenchEvents.DATA);
  }

  @Benchmark
  public int validateDataOnly() throws IOException {
    int tokens = 0;
    try (JsonParser parser = JSON.createParser(BenchEvents.DATA)) {
      while (parser.nextToken() != null) {
        tokens++;
      }
    }
    return tokens;
  }

  @Benchmark
  public Event parseLine(Steps steps) throws MalformedLineException {
    return EventCodec.parseLine(steps.line, 0, steps.line.length - 1, steps.run);
  }
}
