package io.runjournal.server.store;

import io.runjournal.Journal;
import io.runjournal.RunInfo;
import io.runjournal.projection.RunProjections;
import io.runjournal.recovery.Recovery;
import io.runjournal.recovery.RecoveryReport;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up recovery on a store that several server nodes share (PostgreSQL), unless {@code
 * --recover-runs} asks for the full {@link Recovery}: it looks at every active run and appends
 * nothing.
 *
 * <p>Why: {@link Recovery} appends {@code run.recovered} to every active run, because on the file
 * store a starting server is the only writer and every active run was cut off by its crash. With
 * several nodes on one database, a node that starts (a rolling restart, a scale-out) would mark
 * runs that another node is serving right now, put a false "outage" into their journals, and make
 * producers that append with {@code expectedSeq} fail with a conflict. PostgreSQL has no torn tails
 * to repair, and a run's active flag changes in the transaction of its terminal event, so there is
 * nothing else a start must fix. What remains is done here: an active run that has ended or has no
 * events loses its flag (as the file store's recovery releases a stale marker), and the report says
 * how many runs are active.
 *
 * <p>Thread-safe; meant to run once at start-up.
 */
public final class SharedStoreRecovery {
  private static final Logger log = LoggerFactory.getLogger(SharedStoreRecovery.class);

  private final Journal journal;
  private final RunProjections projections;
  private final Clock clock;

  /**
   * @param journal the shared store
   * @param projections the projections the server serves (an ended run's is marked for the flush)
   * @param clock the clock of the report's times
   */
  public SharedStoreRecovery(Journal journal, RunProjections projections, Clock clock) {
    this.journal = journal;
    this.projections = projections;
    this.clock = clock;
  }

  /**
   * Looks at every active run, telling {@code listener} how it goes.
   *
   * @throws io.runjournal.RunJournalException if the active runs cannot be listed; a failure on one
   *     run is in the report instead
   */
  public RecoveryReport run(Recovery.Listener listener) {
    Instant startedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    long start = System.nanoTime();
    List<String> active = journal.activeRuns();
    listener.started(active.size());
    List<String> released = new ArrayList<>();
    List<RecoveryReport.Failure> failures = new ArrayList<>();
    int checked = 0;
    for (String run : active) {
      if (Thread.currentThread().isInterrupted()) {
        failures.add(new RecoveryReport.Failure(run, "recovery was interrupted"));
        continue;
      }
      try {
        if (releaseIfOver(run)) {
          released.add(run);
        }
        checked++;
      } catch (RuntimeException e) {
        log.warn("recovery of run {} failed: {}", run, e.toString());
        failures.add(
            new RecoveryReport.Failure(
                run, e.getMessage() == null ? e.toString() : e.getMessage()));
      }
      listener.checked(run);
    }
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    log.info(
        "{} active runs left to their producers: on a shared store start-up recovery appends"
            + " run.recovered only with --recover-runs",
        checked - released.size());
    return new RecoveryReport(
        startedAt,
        startedAt.plusMillis(tookMs),
        tookMs,
        checked,
        List.of(),
        List.of(),
        List.of(),
        released,
        failures);
  }

  /** Releases the flag of a run that has ended or has no events; true if it did. */
  private boolean releaseIfOver(String run) {
    RunInfo info = journal.info(run);
    if (!info.ended() && !info.heads().isEmpty()) {
      return false;
    }
    if (info.ended()) {
      projections.appended(run); // its terminal event may be missing from the snapshot
    }
    return journal.releaseActiveMarker(run);
  }
}
