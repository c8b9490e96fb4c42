package io.runjournal.model;

import io.runjournal.internal.json.EventCodec;
import java.time.Instant;
import java.util.Objects;

/**
 * One event as stored: the envelope of DESIGN §2 and its canonical JSON line.
 *
 * <p>{@code data} and {@code meta} are raw JSON text, exactly as written in the journal; they are
 * never re-parsed by the journal. Immutable and thread-safe. Two events are equal when their
 * canonical lines are.
 */
public final class Event {
  private final long seq;
  private final long tsMillis;
  private final String run;
  private final String branch;
  private final String type;
  private final String id;
  private final String data;
  private final String meta;
  private String line; // built on first use for events the journal has just written

  /**
   * An event with its canonical line, or with {@code line} null to have it built from the fields
   * when first asked for (it is then exactly what the journal writes for them).
   *
   * @param seq the dense per-(run, branch) sequence number, from 1
   * @param tsMillis the append time in epoch milliseconds, never decreasing within a run
   * @param run the run id
   * @param branch the branch
   * @param type the event type
   * @param id the client-chosen event id, or null
   * @param data the {@code data} JSON value as text, or null when absent
   * @param meta the {@code meta} JSON object as text, or null when absent
   * @param line the canonical JSON line without its newline, or null
   */
  public Event(
      long seq,
      long tsMillis,
      String run,
      String branch,
      String type,
      String id,
      String data,
      String meta,
      String line) {
    this.seq = seq;
    this.tsMillis = tsMillis;
    this.run = Objects.requireNonNull(run, "run");
    this.branch = Objects.requireNonNull(branch, "branch");
    this.type = Objects.requireNonNull(type, "type");
    this.id = id;
    this.data = data;
    this.meta = meta;
    this.line = line;
  }

  /** The dense per-(run, branch) sequence number, from 1; also the SSE id. */
  public long seq() {
    return seq;
  }

  /** The append time in epoch milliseconds. */
  public long tsMillis() {
    return tsMillis;
  }

  /** The append time. */
  public Instant ts() {
    return Instant.ofEpochMilli(tsMillis);
  }

  /** The run id. */
  public String run() {
    return run;
  }

  /** The branch. */
  public String branch() {
    return branch;
  }

  /** The event type. */
  public String type() {
    return type;
  }

  /** The client-chosen event id, or null. */
  public String id() {
    return id;
  }

  /** The {@code data} JSON value as text, or null when absent. */
  public String data() {
    return data;
  }

  /** The {@code meta} JSON object as text, or null when absent. */
  public String meta() {
    return meta;
  }

  /** The canonical JSON line, without the trailing newline. */
  public String line() {
    String text = line;
    if (text == null) {
      text = EventCodec.encodeLine(this);
      line = text; // benign race: every thread computes the same string
    }
    return text;
  }

  /** Whether this event ends its run. */
  public boolean isTerminal() {
    return EventTypes.isTerminal(type);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Event event && line().equals(event.line());
  }

  @Override
  public int hashCode() {
    return line().hashCode();
  }

  @Override
  public String toString() {
    return line();
  }
}
