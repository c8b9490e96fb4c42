package io.runjournal.internal.logging;

import io.runjournal.AppendRequest;
import io.runjournal.Journal;
import io.runjournal.JournalClosedException;
import io.runjournal.logging.LogRecord;
import io.runjournal.logging.LogSink;
import io.runjournal.logging.SinkWarnings;
import io.runjournal.model.Ids;
import io.runjournal.model.NewEvent;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Appends records to one run as events {@code log}, {@code span.open} and {@code span.close}, their
 * {@code data} the record's JSON object (DESIGN §9). Each emit is one append under the journal's
 * fsync policy, so a span-open acknowledged before a crash stays in the run and shows as
 * unfinished. Fail-safe: a refused or failed append drops the record with a warning (one per streak
 * of failures); once the journal is closed, records are dropped silently. Thread-safe.
 */
public final class RunSink implements LogSink {
  private final Journal journal;
  private final String run;
  private final String branch;
  private final WarningStreak streak;
  private final AtomicLong dropped = new AtomicLong();

  /**
   * A sink into {@code run} on {@code branch}.
   *
   * @throws io.runjournal.InvalidIdentifierException for a bad run id or branch
   */
  public RunSink(Journal journal, String run, String branch, SinkWarnings warnings) {
    this.journal = journal;
    this.run = Ids.requireRunId(run);
    this.branch = Ids.requireBranch(branch);
    this.streak = new WarningStreak(warnings, "run \"" + run + "\"");
  }

  @Override
  public void emit(LogRecord record) {
    NewEvent event = NewEvent.of(record.eventType(), RecordCodec.toJson(record));
    try {
      journal.append(run, AppendRequest.of(event).onBranch(branch));
      streak.succeeded();
    } catch (JournalClosedException e) {
      // The journal's owner shut it down; logging after that is not an error worth a warning.
    } catch (RuntimeException e) {
      dropped.incrementAndGet();
      streak.failed(1, "run \"" + run + "\": dropped a " + record.kind() + " record: " + e, e);
    }
  }

  /** Records dropped because an append failed. */
  public long dropped() {
    return dropped.get();
  }

  @Override
  public String toString() {
    return "run sink " + run + "/" + branch;
  }
}
