package io.runjournal.export;

/**
 * What an export holds: with or without its events, and at most how many of them. Immutable.
 *
 * @param events whether the bundle carries the events (else only projection, metrics, branches)
 * @param limit at most this many events, the first ones in journal order ({@link Long#MAX_VALUE}
 *     for all)
 */
public record ExportOptions(boolean events, long limit) {

  /** Checks the limit. */
  public ExportOptions {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, got " + limit);
    }
  }

  /** Every event. */
  public static ExportOptions all() {
    return new ExportOptions(true, Long.MAX_VALUE);
  }

  /** A copy without the events. */
  public ExportOptions withoutEvents() {
    return new ExportOptions(false, limit);
  }

  /** A copy with at most {@code maxEvents} events, the first in journal order. */
  public ExportOptions limit(long maxEvents) {
    return new ExportOptions(events, maxEvents);
  }
}
