package io.runjournal.trace;

import io.runjournal.Journal;
import io.runjournal.RunNotFoundException;
import io.runjournal.model.Ids;

/**
 * Rebuilds the span tree of a run's branch from the run's events (DESIGN §9).
 *
 * <p>Records reach a run as events of type {@code log}, {@code span.open} and {@code span.close}
 * whose {@code data} is the record's JSON object. The rules:
 *
 * <ul>
 *   <li>a span whose parent the branch does not hold (or whose parents form a cycle) is a root;
 *   <li>a span opened and never closed is unfinished: no end, duration or status;
 *   <li>a close without an open still makes a finished span, starting {@code durationMs} before it
 *       closed;
 *   <li>of several opens (or closes) of one span id, the first wins;
 *   <li>a log goes to the span it names; one without a span id, or naming a span the branch does
 *       not hold, goes to {@link Trace#logs()};
 *   <li>an event of those types whose data is not a record of the matching kind is left out and
 *       counted in {@link Trace#malformedRecords()}.
 * </ul>
 */
public final class Traces {
  private Traces() {}

  /**
   * The trace of {@code branch} of {@code run}, read in one forward pass over the run's journal
   * (plain or archived) up to its end when the call starts; memory grows with the spans and logs,
   * not with the other events. A run without events, or a branch without records, gives an empty
   * trace. Thread-safe, like the journal.
   *
   * @throws RunNotFoundException if the run does not exist
   * @throws io.runjournal.InvalidIdentifierException if the run id or branch is not valid
   * @throws io.runjournal.RunJournalException if the journal cannot be read
   */
  public static Trace read(Journal journal, String run, String branch) {
    String branchName = Ids.requireBranch(branch);
    if (!journal.exists(run)) {
      throw new RunNotFoundException(run);
    }
    TraceBuilder builder = new TraceBuilder(run, branchName);
    journal.forEachEvent(run, /* maxEvents= */ Long.MAX_VALUE, builder::accept);
    return builder.build();
  }
}
