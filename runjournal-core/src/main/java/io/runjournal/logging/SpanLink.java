package io.runjournal.logging;

import java.util.Objects;

/**
 * A link from a span to another span that caused or relates to it, in this run or in another.
 *
 * @param spanId the linked span's id
 * @param run the run the linked span belongs to, or null for the same run
 */
public record SpanLink(String spanId, String run) {

  /** Requires a span id. */
  public SpanLink {
    Objects.requireNonNull(spanId, "spanId");
  }

  /** A link to a span of the same run. */
  public static SpanLink to(String spanId) {
    return new SpanLink(spanId, null);
  }
}
