package io.runjournal.server.cli;

import io.runjournal.Journal;
import io.runjournal.RunInfo;
import io.runjournal.projection.RunProjection;
import java.time.Instant;
import java.util.Set;

/**
 * Which runs {@code gc} removes: finished runs (ended, not marked active) whose last event is older
 * than the cutoff, of the chosen statuses; with {@code --archive}, runs not archived yet. Reads
 * only what the journal knows of each run (heads, terminal event, last event time); the journal
 * checks again under the run's locks when it archives or deletes. Not thread-safe.
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
   * @param journalBytes the size of its journal (as it reads, uncompressed)
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

  Verdict examine(String run) {
    RunInfo info = journal.info(run);
    return new Verdict(run, keptBecause(run, info), journal.size(run));
  }

  private Kept keptBecause(String run, RunInfo info) {
    if (!info.ended() || !journal.isFinished(run)) {
      return Kept.NOT_FINISHED;
    }
    if (info.lastEventAt() == null || !info.lastEventAt().isBefore(cutoff)) {
      return Kept.NEWER;
    }
    if (!statuses.isEmpty() && !statuses.contains(RunProjection.statusOf(info.endedBy()))) {
      return Kept.OTHER_STATUS;
    }
    if (archive && journal.isArchived(run)) {
      return Kept.ARCHIVED;
    }
    return null;
  }
}
