package io.runjournal.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One event as stored: the envelope of DESIGN §2 plus its canonical JSON line.
 *
 * <p>{@code data} and {@code meta} are raw JSON text, exactly as written in the journal; they are
 * never re-parsed by the journal. Immutable and thread-safe.
 *
 * @param seq the dense per-(run, branch) sequence number, from 1
 * @param tsMillis the append time in epoch milliseconds, never decreasing within a run
 * @param run the run id
 * @param branch the branch
 * @param type the event type
 * @param id the client-chosen event id, or null
 * @param data the {@code data} JSON value as text, or null when absent
 * @param meta the {@code meta} JSON object as text, or null when absent
 * @param line the canonical JSON line (without the trailing newline)
 */
public record Event(
    long seq,
    long tsMillis,
    String run,
    String branch,
    String type,
    String id,
    String data,
    String meta,
    String line) {

  /** Checks the required fields. */
  public Event {
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(branch, "branch");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(line, "line");
  }

  /** The append time. */
  public Instant ts() {
    return Instant.ofEpochMilli(tsMillis);
  }

  /** Whether this event ends its run. */
  public boolean isTerminal() {
    return EventTypes.isTerminal(type);
  }

  @Override
  public String toString() {
    return line;
  }
}
