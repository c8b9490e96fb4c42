package io.runjournal;

/** An event's {@code data} or {@code meta} is not acceptable JSON, or the request is malformed. */
public final class InvalidEventException extends RunJournalException {
  private static final long serialVersionUID = 1L;

  private final long position;

  /** An invalid event, described by {@code message}. */
  public InvalidEventException(String message) {
    super("invalid-event", message);
    this.position = 0;
  }

  /** An invalid event, described by {@code message}, caused by a parse error. */
  public InvalidEventException(String message, Throwable cause) {
    super("invalid-event", message, cause);
    this.position = 0;
  }

  /**
   * The event at 1-based {@code position} of an import (or batch) is invalid, described by {@code
   * message}, which names the position.
   */
  public InvalidEventException(long position, String message) {
    super("invalid-event", message);
    this.position = position;
  }

  /**
   * The 1-based position of the offending event in the import (or batch) it came in, or 0 when the
   * error is not about one event of a sequence.
   */
  public long position() {
    return position;
  }
}
