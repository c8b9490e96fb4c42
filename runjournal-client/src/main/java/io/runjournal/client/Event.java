package io.runjournal.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;

/**
 * One event as the journal stored it (DESIGN §2). Immutable and thread-safe when the {@link
 * JsonNode}s are not modified.
 *
 * @param seq the dense per-(run, branch) sequence number, from 1; also the SSE id
 * @param ts the append time (UTC, millisecond precision)
 * @param run the run id
 * @param branch the branch
 * @param type the event type
 * @param id the client-chosen event id, or null
 * @param data the {@code data} value ({@code NullNode} for JSON {@code null}), or null when absent
 * @param meta the {@code meta} object, or null when absent
 * @param json the event's JSON object exactly as the server sent it: the journal's canonical line
 *     (without a newline) for a server that sends lines as stored
 */
public record Event(
    long seq,
    Instant ts,
    String run,
    String branch,
    String type,
    String id,
    JsonNode data,
    JsonNode meta,
    String json) {

  /** Checks that the envelope is complete. */
  public Event {
    Objects.requireNonNull(ts, "ts");
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(branch, "branch");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(json, "json");
  }

  /** The event's JSON line, {@link #json()}. */
  @Override
  public String toString() {
    return json;
  }
}
