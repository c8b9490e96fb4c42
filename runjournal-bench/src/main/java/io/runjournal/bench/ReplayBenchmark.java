package io.runjournal.bench;

import io.runjournal.AppendRequest;
import io.runjournal.FsyncPolicy;
import io.runjournal.Journal;
import io.runjournal.JournalOptions;
import io.runjournal.ReadQuery;
import io.runjournal.ReadResult;
import io.runjournal.model.NewEvent;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * B3, replay: a run of {@value #EVENTS} events of {@value BenchEvents#LINE_BYTES} bytes, built once
 * per trial (fsync none, batches of {@value #BUILD_BATCH}) and kept open, so the run's state is
 * warm.
 *
 * <ul>
 *   <li>{@code replayAll}: reads every event in pages of {@value #PAGE} through {@code read(run,
 *       all().afterSeq(next).limit(1000))}; the score is events/s.
 *   <li>{@code resumeRead100}: one {@code read(run, all().afterSeq(999_900).limit(100))}, average
 *       time per read (the target);
 *   <li>{@code resumeRead100AtMiddle}: the same after seq 500,000, far from the head: a resume that
 *       no cache of recent events can serve, so it shows the cost of the sparse index and the file
 *       read.
 * </ul>
 */
@Threads(1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class ReplayBenchmark {
  static final String LATEST_TYPE = "session_id";
  static final int LATEST_DEPTH = 500;
  static final ReadQuery LATEST = ReadQuery.all().types(Set.of(LATEST_TYPE)).newestFirst().limit(1);

  static final int EVENTS = 1_000_000;
  static final int BUILD_BATCH = 1000;
  static final int PAGE = 1000;
  static final long RESUME_AFTER = 999_900;
  static final long MIDDLE_AFTER = 500_000;
  static final int RESUME_LIMIT = 100;

  /** The pre-built run, open in a journal for the whole trial. */
  @State(Scope.Benchmark)
  public static class LargeRun {
    final String run = BenchEvents.runId("replay", 1);
    Path dir;
    Journal journal;

    @Setup(Level.Trial)
    public void build() {
      dir = TempDirs.create("b3");
      journal = Journal.open(dir, JournalOptions.defaults().withFsync(FsyncPolicy.NONE));
      long start = System.nanoTime();
      List<NewEvent> batch = Collections.nCopies(BUILD_BATCH, BenchEvents.EVENT);
      for (int appended = 0; appended < EVENTS; appended += BUILD_BATCH) {
        if (appended == EVENTS - BUILD_BATCH) {
          // The event the "latest of type" walk looks for, 500 events before the end.
          journal.append(
              run,
              AppendRequest.of(
                  Collections.nCopies(BUILD_BATCH - LATEST_DEPTH - 1, BenchEvents.EVENT)));
          journal.append(run, NewEvent.of(LATEST_TYPE, "{\"session\":\"s-42\"}"));
          journal.append(
              run, AppendRequest.of(Collections.nCopies(LATEST_DEPTH, BenchEvents.EVENT)));
          continue;
        }
        journal.append(run, AppendRequest.of(batch));
      }
      long head = journal.head(run, "main");
      if (head != EVENTS) {
        throw new IllegalStateException("built " + head + " events, expected " + EVENTS);
      }
      List<io.runjournal.model.Event> resumed =
          journal.read(run, ReadQuery.all().afterSeq(RESUME_AFTER).limit(RESUME_LIMIT)).events();
      if (resumed.size() != RESUME_LIMIT || resumed.getFirst().seq() != RESUME_AFTER + 1) {
        throw new IllegalStateException("the resume read returned " + resumed.size() + " events");
      }
      System.out.printf(
          Locale.ROOT,
          "%n[replay] built %d events in %.1f s under %s%n",
          EVENTS,
          (System.nanoTime() - start) / 1e9,
          dir);
    }

    @TearDown(Level.Trial)
    public void delete() {
      journal.close();
      TempDirs.delete(dir);
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(EVENTS)
  public void replayAll(LargeRun large, Blackhole blackhole) {
    long after = 0;
    long events = 0;
    while (true) {
      ReadResult page = large.journal.read(large.run, ReadQuery.all().afterSeq(after).limit(PAGE));
      blackhole.consume(page);
      events += page.events().size();
      if (page.next() == null) {
        break;
      }
      after = page.next();
    }
    if (events != EVENTS) {
      throw new IllegalStateException("replayed " + events + " events, expected " + EVENTS);
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public ReadResult resumeRead100(LargeRun large) {
    return large.journal.read(
        large.run, ReadQuery.all().afterSeq(RESUME_AFTER).limit(RESUME_LIMIT));
  }

  /**
   * "The latest event of type X" right after a restart: a fresh journal (no state for the run)
   * reads the 1,000,000-event file backwards from its end.
   */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public ReadResult latestOfTypeCold(LargeRun large) {
    try (Journal cold = Journal.open(large.dir, JournalOptions.defaults())) {
      return check(cold.read(large.run, LATEST));
    }
  }

  /**
   * Baseline: the same question when the journal first builds the run's state and index by reading
   * the whole file forward (what any read did before the backward path).
   */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public ReadResult latestOfTypeAfterForwardScan(LargeRun large) {
    try (Journal cold = Journal.open(large.dir, JournalOptions.defaults())) {
      cold.head(large.run, "main");
      return check(cold.read(large.run, LATEST));
    }
  }

  private static ReadResult check(ReadResult result) {
    if (result.events().size() != 1 || !result.events().getFirst().type().equals(LATEST_TYPE)) {
      throw new IllegalStateException("the latest " + LATEST_TYPE + " was not found");
    }
    return result;
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public ReadResult resumeRead100AtMiddle(LargeRun large) {
    return large.journal.read(
        large.run, ReadQuery.all().afterSeq(MIDDLE_AFTER).limit(RESUME_LIMIT));
  }
}
