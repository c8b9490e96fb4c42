package io.runjournal.recovery;

import io.runjournal.AppendRequest;
import io.runjournal.Journal;
import io.runjournal.ReadQuery;
import io.runjournal.ReadResult;
import io.runjournal.RunEndedException;
import io.runjournal.RunInfo;
import io.runjournal.SequenceConflictException;
import io.runjournal.model.Event;
import io.runjournal.model.EventTypes;
import io.runjournal.model.NewEvent;
import io.runjournal.projection.RunProjections;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up recovery (DESIGN §8): brings every run that was active when the store went down back to
 * a clean state, and says so in its journal.
 *
 * <p>The active runs are the store's markers ({@link Journal#activeRuns()}), so the work is
 * O(active runs) however many runs the store holds. For each one, in this order:
 *
 * <ol>
 *   <li>a torn tail (a write the crash cut short, never acknowledged) moves to {@code
 *       events.jsonl.torn} ({@link Journal#repair});
 *   <li>a run that has ended, or has no events, only loses its marker (a crash came between its
 *       terminal append and the marker's removal, or before its first write);
 *   <li>otherwise {@code run.recovered} {@code {"head","tornBytes","downtimeMs"}} is appended to
 *       branch {@code main}: {@code head} is main's head just before it (the append expects that
 *       head, and is retried if another process appends in between), {@code downtimeMs} the time
 *       since the run's last event. With {@link RecoveryOptions#interruptAfter()} set, a run idle
 *       longer than that also gets {@code run.interrupted} in the same atomic batch, which ends it;
 *       idleness counts from the last event that is not {@code run.recovered}, so restarts do not
 *       keep an abandoned run alive;
 *   <li>the run's projection is marked for {@link RunProjections#flush()}, which catches it up
 *       (rebuilds it when its snapshot does not match the journal) and saves its snapshot. The
 *       caller flushes after recovery: the server's periodic flush does once it is ready, and a
 *       projection asked for before that is caught up on demand anyway. Doing it here would make
 *       start-up wait for a snapshot read, a fold and a second sync per run (BENCHMARKS.md, B6).
 * </ol>
 *
 * Each call of {@link #run} appends exactly one {@code run.recovered} to each open active run. A
 * failure on one run is reported and never stops the others. Runs are recovered {@link
 * RecoveryOptions#parallelism()} at a time, on virtual threads: with {@code fsync=always} every
 * append waits for its own sync, and syncs of different files overlap.
 *
 * <p>Thread-safe; meant to run once at start-up, before the store takes traffic.
 */
public final class Recovery {
  private static final Logger log = LoggerFactory.getLogger(Recovery.class);
  private static final String MAIN = "main";
  private static final int MAX_APPEND_ATTEMPTS = 5;
  private static final int IDLE_PAGE = 16;

  /** Told how recovery progresses; called from recovery's worker threads, must be thread-safe. */
  public interface Listener {
    /** Recovery found {@code activeRuns} active markers and starts on them. */
    default void started(int activeRuns) {}

    /** Recovery is done with {@code run}, whatever the outcome. */
    default void checked(String run) {}
  }

  private enum Kind {
    RECOVERED,
    INTERRUPTED,
    RELEASED,
    SKIPPED,
    FAILED
  }

  private record Outcome(String run, Kind kind, long tornBytes, String failure) {
    static Outcome of(String run, Kind kind, long tornBytes) {
      return new Outcome(run, kind, tornBytes, null);
    }
  }

  private final Journal journal;
  private final RunProjections projections;
  private final RecoveryOptions options;

  /**
   * @param journal the store to recover
   * @param projections the projections of that store's runs (the ones the server serves)
   * @param options interruption, parallelism, clock
   */
  public Recovery(Journal journal, RunProjections projections, RecoveryOptions options) {
    this.journal = Objects.requireNonNull(journal, "journal");
    this.projections = Objects.requireNonNull(projections, "projections");
    this.options = Objects.requireNonNull(options, "options");
  }

  /** Recovers every active run; see the class comment. */
  public RecoveryReport run() {
    return run(new Listener() {});
  }

  /**
   * Recovers every active run, telling {@code listener} how it goes.
   *
   * @throws io.runjournal.RunJournalException if the active runs cannot be listed; a failure on one
   *     run is in the report instead
   */
  public RecoveryReport run(Listener listener) {
    Instant startedAt = options.clock().instant().truncatedTo(ChronoUnit.MILLIS);
    long start = System.nanoTime();
    List<String> active = journal.activeRuns();
    listener.started(active.size());
    Outcome[] outcomes = new Outcome[active.size()];
    AtomicInteger next = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    int workers = Math.min(options.parallelism(), active.size());
    List<Thread> threads = new ArrayList<>(workers);
    for (int worker = 0; worker < workers; worker++) {
      threads.add(
          Thread.ofVirtual()
              .name("runjournal-recovery-" + worker)
              .start(
                  () -> {
                    for (int n = next.getAndIncrement();
                        n < outcomes.length && !stop.get();
                        n = next.getAndIncrement()) {
                      outcomes[n] = recoverSafely(active.get(n));
                      notifyChecked(listener, active.get(n));
                    }
                  }));
    }
    joinAll(threads, stop);
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    return report(active, outcomes, startedAt, tookMs);
  }

  /** Waits for the workers; when interrupted, lets them finish their current run and stop. */
  private static void joinAll(List<Thread> threads, AtomicBoolean stop) {
    boolean interrupted = false;
    for (Thread thread : threads) {
      while (true) {
        try {
          thread.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
          stop.set(true);
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static void notifyChecked(Listener listener, String run) {
    try {
      listener.checked(run);
    } catch (RuntimeException e) {
      log.warn("a recovery listener failed: {}", e.toString());
    }
  }

  private RecoveryReport report(
      List<String> active, Outcome[] outcomes, Instant startedAt, long tookMs) {
    List<RecoveryReport.Repaired> repaired = new ArrayList<>();
    List<String> recovered = new ArrayList<>();
    List<String> interrupted = new ArrayList<>();
    List<String> released = new ArrayList<>();
    List<RecoveryReport.Failure> failures = new ArrayList<>();
    int checked = 0;
    for (int n = 0; n < outcomes.length; n++) {
      Outcome outcome = outcomes[n];
      if (outcome == null) {
        failures.add(new RecoveryReport.Failure(active.get(n), "recovery was interrupted"));
        continue;
      }
      checked++;
      if (outcome.tornBytes() > 0) {
        repaired.add(new RecoveryReport.Repaired(outcome.run(), outcome.tornBytes()));
      }
      switch (outcome.kind()) {
        case RECOVERED -> recovered.add(outcome.run());
        case INTERRUPTED -> {
          recovered.add(outcome.run());
          interrupted.add(outcome.run());
        }
        case RELEASED -> released.add(outcome.run());
        case SKIPPED -> {}
        case FAILED -> failures.add(new RecoveryReport.Failure(outcome.run(), outcome.failure()));
      }
    }
    return new RecoveryReport(
        startedAt,
        startedAt.plusMillis(tookMs),
        tookMs,
        checked,
        repaired,
        recovered,
        interrupted,
        released,
        failures);
  }

  private Outcome recoverSafely(String run) {
    try {
      return recover(run);
    } catch (RuntimeException e) {
      log.warn("recovery of run {} failed: {}", run, e.toString());
      String reason = e.getMessage() == null ? e.toString() : e.getMessage();
      return new Outcome(run, Kind.FAILED, 0, reason);
    }
  }

  private Outcome recover(String run) {
    long torn = journal.repair(run).tornBytes();
    RunInfo info = journal.info(run);
    for (int attempt = 1; ; attempt++) {
      if (info.ended() || info.heads().isEmpty()) {
        boolean released = journal.releaseActiveMarker(run);
        if (info.ended()) {
          projections.appended(run); // its terminal event may be missing from the snapshot
        }
        return Outcome.of(run, released ? Kind.RELEASED : Kind.SKIPPED, torn);
      }
      long now = options.clock().millis();
      long head = info.head(MAIN);
      long downtime =
          info.lastEventAt() == null ? 0 : Math.max(0, now - info.lastEventAt().toEpochMilli());
      List<NewEvent> events = new ArrayList<>(2);
      events.add(
          NewEvent.of(
              EventTypes.RUN_RECOVERED,
              "{\"head\":"
                  + head
                  + ",\"tornBytes\":"
                  + torn
                  + ",\"downtimeMs\":"
                  + downtime
                  + "}"));
      Long idleMs = idleBeyondLimit(run, info, now);
      if (idleMs != null) {
        events.add(
            NewEvent.of(
                EventTypes.RUN_INTERRUPTED,
                "{\"reason\":\"idle\",\"idleMs\":"
                    + idleMs
                    + ",\"interruptAfterMs\":"
                    + options.interruptAfter().toMillis()
                    + "}"));
      }
      try {
        journal.append(run, AppendRequest.of(events).expecting(head));
      } catch (SequenceConflictException | RunEndedException e) {
        // Another process appended (or ended the run) since we looked: look again.
        if (attempt == MAX_APPEND_ATTEMPTS) {
          throw e;
        }
        info = journal.info(run);
        continue;
      }
      projections.appended(run);
      return Outcome.of(run, idleMs != null ? Kind.INTERRUPTED : Kind.RECOVERED, torn);
    }
  }

  /**
   * How long the run has been idle, if longer than {@code interruptAfter}; else null. Idle since
   * its latest event other than {@code run.recovered}: the last line of the journal has the latest
   * time (times never decrease within a run), and only when that is an earlier recovery's event are
   * the branches read backwards.
   */
  private Long idleBeyondLimit(String run, RunInfo info, long now) {
    if (options.interruptAfter() == null) {
      return null;
    }
    long lastActive =
        journal
            .lastEvent(run)
            .filter(last -> !last.type().equals(EventTypes.RUN_RECOVERED))
            .map(Event::tsMillis)
            .orElseGet(() -> lastActivityBefore(run, info));
    long idle = Math.max(0, now - lastActive);
    return idle > options.interruptAfter().toMillis() ? idle : null;
  }

  private long lastActivityBefore(String run, RunInfo info) {
    long latest = Long.MIN_VALUE;
    for (String branch : info.heads().keySet()) {
      ReadQuery query = ReadQuery.all().branch(branch).newestFirst().limit(IDLE_PAGE);
      while (true) {
        ReadResult page = journal.read(run, query);
        Event active =
            page.events().stream()
                .filter(event -> !event.type().equals(EventTypes.RUN_RECOVERED))
                .findFirst()
                .orElse(null);
        if (active != null) {
          latest = Math.max(latest, active.tsMillis());
          break;
        }
        if (page.next() == null) {
          break;
        }
        query = query.beforeSeq(page.next());
      }
    }
    // Nothing but recoveries' events (recovery itself never leaves such a run): the last one.
    return latest != Long.MIN_VALUE ? latest : info.lastEventAt().toEpochMilli();
  }
}
