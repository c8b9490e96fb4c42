package io.runjournal;

import io.runjournal.model.NewEvent;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends without ever failing the caller: for producers (an agent, a job) whose own work must not
 * stop because the journal cannot take an event. The first failure is logged once at WARN; later
 * failures are counted in {@link #dropped()}. After {@link #close()}, or once the journal is
 * closed, appends do nothing. Thread-safe.
 */
public final class BestEffortAppender implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BestEffortAppender.class);

  private final Journal journal;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean warned = new AtomicBoolean();
  private final AtomicLong dropped = new AtomicLong();

  BestEffortAppender(Journal journal) {
    this.journal = journal;
  }

  /** Appends one event to branch main; returns its seq, or -1 if it was dropped. */
  public long append(String run, NewEvent event) {
    return append(run, AppendRequest.of(event));
  }

  /** Appends a batch; returns the seq of its last event, or -1 if it was dropped. */
  public long append(String run, AppendRequest request) {
    if (closed.get()) {
      return -1;
    }
    try {
      return journal.append(run, request).last();
    } catch (JournalClosedException e) {
      closed.set(true);
      return -1;
    } catch (RuntimeException e) {
      dropped.incrementAndGet();
      if (warned.compareAndSet(false, true)) {
        log.warn(
            "dropping events for run {} and any later failures (counted, not logged): {}",
            RunJournalException.quote(run),
            e.toString());
      }
      return -1;
    }
  }

  /** How many appends were dropped because they failed. */
  public long dropped() {
    return dropped.get();
  }

  /** Turns later appends into no-ops; idempotent. Does not close the journal. */
  @Override
  public void close() {
    closed.set(true);
  }
}
