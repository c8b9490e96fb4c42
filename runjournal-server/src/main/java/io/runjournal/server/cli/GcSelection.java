package io.runjournal.server.cli;

import io.runjournal.Journal;
import io.runjournal.model.Event;
import io.runjournal.projection.RunProjection;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Which runs {@code gc} removes: finished runs (ended, not marked active) whose last event is older
 * than the cutoff, of the chosen statuses; with {@code --archive}, runs not archived yet. The
 * journal checks again under the run's locks when it archives or deletes. Not thread-safe.
 */
final class GcSelection {
  /** The finished statuses a run can be selected by. */
  static final Set<String> STATUSES = Set.of("succeeded", "failed", "cancelled", "interrupted");

  /** Why a run is kept. */
  enum Kept {
    NOT_FINISHED("not finished"),
    NEWER("newer than the cutoff"),
    OTHER_STATUS("of another status"),
    ARCHIVED("already archived");

    final String description;

    Kept(String description) {
      this.description = description;
    }
  }

  /**
   * The verdict on one run.
   *
   * @param kept why the run is kept, or null when it is selected
   * @param journalBytes the size of its journal (as it reads, uncompressed) if it is selected
   */
  record Verdict(String run, Kept kept, long journalBytes) {
    boolean selected() {
      return kept == null;
    }
  }

  private final Journal journal;
  private final Instant cutoff;
  private final Set<String> statuses;
  private final boolean archive;

  /**
   * @param cutoff runs whose last event is at or after it are kept
   * @param statuses the statuses to select, or empty for every finished status
   * @param archive whether runs are to be archived (archived runs are kept) or deleted
   */
  GcSelection(Journal journal, Instant cutoff, Set<String> statuses, boolean archive) {
    this.journal = journal;
    this.cutoff = cutoff;
    this.statuses = Set.copyOf(statuses);
    this.archive = archive;
  }

  /**
   * Examines one run, cheaply first: a run has ended exactly when its last event is terminal
   * (nothing can follow one), and that event's time is the run's last (times never decrease), so
   * the end of the journal decides for most runs; only a run that is to go is read whole, to check
   * that it is finished.
   */
  Verdict examine(String run) {
    if (archive && journal.isArchived(run)) {
      return new Verdict(run, Kept.ARCHIVED, 0);
    }
    Optional<Event> last = journal.lastEvent(run);
    if (last.isEmpty() || !last.get().isTerminal()) {
      return new Verdict(run, Kept.NOT_FINISHED, 0);
    }
    if (!Instant.ofEpochMilli(last.get().tsMillis()).isBefore(cutoff)) {
      return new Verdict(run, Kept.NEWER, 0);
    }
    if (!statuses.isEmpty() && !statuses.contains(RunProjection.statusOf(last.get().type()))) {
      return new Verdict(run, Kept.OTHER_STATUS, 0);
    }
    if (!journal.isFinished(run)) {
      return new Verdict(run, Kept.NOT_FINISHED, 0); // still marked active
    }
    return new Verdict(run, null, journal.size(run));
  }
}
