package io.runjournal;

/** The run does not exist: it has no directory in the store. */
public final class RunNotFoundException extends RunJournalException {
  private static final long serialVersionUID = 1L;

  private final String run;

  /** Run {@code run} does not exist. */
  public RunNotFoundException(String run) {
    super("not-found", "run " + quote(run) + " does not exist");
    this.run = run;
  }

  /** The run. */
  public String run() {
    return run;
  }
}
