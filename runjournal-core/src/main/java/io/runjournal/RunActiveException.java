package io.runjournal;

/**
 * A run that is not finished cannot be archived or deleted: it has not ended (no terminal event),
 * or its {@code active/<run>} marker says a writer still considers it open. Nothing was changed.
 */
public final class RunActiveException extends RunJournalException {
  private static final long serialVersionUID = 1L;

  private final String run;
  private final String operation;
  private final String reason;

  /**
   * Refuses {@code operation} on {@code run}.
   *
   * @param operation what was refused, such as {@code archive} or {@code delete}
   * @param reason why the run counts as active, such as {@code it has not ended}
   */
  public RunActiveException(String run, String operation, String reason) {
    super(
        "run-active",
        "cannot " + operation + " run " + quote(run) + ": " + reason + "; nothing was changed");
    this.run = run;
    this.operation = operation;
    this.reason = reason;
  }

  /** The run. */
  public String run() {
    return run;
  }

  /** The refused operation: {@code archive} or {@code delete}. */
  public String operation() {
    return operation;
  }

  /** Why the run counts as active. */
  public String reason() {
    return reason;
  }
}
