package io.runjournal;

/** An event's {@code data} or {@code meta} is not acceptable JSON, or the request is malformed. */
public final class InvalidEventException extends RunJournalException {
  private static final long serialVersionUID = 1L;

  /** An invalid event, described by {@code message}. */
  public InvalidEventException(String message) {
    super("invalid-event", message);
  }

  /** An invalid event, described by {@code message}, caused by a parse error. */
  public InvalidEventException(String message, Throwable cause) {
    super("invalid-event", message, cause);
  }
}
