package io.runjournal.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A {@code sequence-conflict} (409): the append's {@code expectedSeq} or an event's explicit {@code
 * seq} did not match the branch, and nothing of the batch was written. Read the head again and
 * decide again.
 */
public final class SequenceConflictException extends RunJournalClientException {
  private static final long serialVersionUID = 1L;

  private final long expected;
  private final long actual;

  /**
   * A conflict as the server reported it.
   *
   * @param message the full message
   * @param status the HTTP status (409)
   * @param detail the problem's detail
   * @param problem the problem document
   * @param expected what the journal required (the head, or head + 1 for an explicit seq), or -1
   *     when the problem does not say
   * @param actual what the append gave, or -1 when the problem does not say
   */
  public SequenceConflictException(
      String message, int status, String detail, JsonNode problem, long expected, long actual) {
    super(message, status, "sequence-conflict", detail, problem, null);
    this.expected = expected;
    this.actual = actual;
  }

  /** What the journal required (the head, or head + 1 for an explicit seq), or -1 if unknown. */
  public long expected() {
    return expected;
  }

  /** What the append gave, or -1 if unknown. */
  public long actual() {
    return actual;
  }
}
