package io.runjournal.client;

/**
 * What {@link RunJournalClient#export} asks for ({@code GET /v1/runs/{run}/export}): a bundle, with
 * or without its events, or the raw journal; all of it or the first events. Immutable; start from
 * {@link #bundle()} or {@link #jsonl()}.
 *
 * @param raw the raw journal ({@code format=jsonl}) instead of a bundle
 * @param events whether a bundle carries the events
 * @param limit only the first events (lines of a raw journal), or null for all
 */
public record ExportOptions(boolean raw, boolean events, Long limit) {

  /** Checks the limit. */
  public ExportOptions {
    if (limit != null && limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, got " + limit);
    }
    if (raw && !events) {
      throw new IllegalArgumentException("a raw journal (jsonl) always has its events");
    }
  }

  /** A {@code runjournal.export/v1} bundle with every event. */
  public static ExportOptions bundle() {
    return new ExportOptions(false, true, null);
  }

  /** The raw journal, its lines exactly as stored. */
  public static ExportOptions jsonl() {
    return new ExportOptions(true, true, null);
  }

  /** A copy of a bundle without its events. */
  public ExportOptions withoutEvents() {
    return new ExportOptions(raw, false, limit);
  }

  /** A copy with only the first {@code count} events (lines). */
  public ExportOptions limit(long count) {
    return new ExportOptions(raw, events, count);
  }
}
