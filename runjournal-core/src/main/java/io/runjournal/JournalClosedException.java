package io.runjournal;

/** The journal (or subscription) was used after {@code close()}. */
public final class JournalClosedException extends RunJournalException {
  private static final long serialVersionUID = 1L;

  /** {@code what} is closed. */
  public JournalClosedException(String what) {
    super("closed", what + " is closed");
  }
}
