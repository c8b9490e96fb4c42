package io.runjournal;

/** The run already has a terminal event (DESIGN §4); it takes no more events. */
public final class RunEndedException extends RunJournalException {
  private static final long serialVersionUID = 1L;

  private final String run;
  private final String terminalType;

  /** Run {@code run} was ended by an event of type {@code terminalType}. */
  public RunEndedException(String run, String terminalType) {
    super(
        "run-ended",
        "run " + quote(run) + " has ended (" + terminalType + "); it takes no more events");
    this.run = run;
    this.terminalType = terminalType;
  }

  /** The run. */
  public String run() {
    return run;
  }

  /** The type of the terminal event, such as {@code run.completed}. */
  public String terminalType() {
    return terminalType;
  }
}
