package io.runjournal.internal.json;

/** A journal line that is not a valid event; the caller adds the path and line number. */
public final class MalformedLineException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The line is malformed for {@code reason}. */
  public MalformedLineException(String reason) {
    super(reason, null, false, false);
  }
}
