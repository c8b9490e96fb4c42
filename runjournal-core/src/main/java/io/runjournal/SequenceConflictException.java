package io.runjournal;

/**
 * Optimistic concurrency failed: the caller's {@code expectedSeq} or an event's explicit {@code
 * seq} does not match the branch. Nothing of the batch was written.
 */
public final class SequenceConflictException extends RunJournalException {
  private static final long serialVersionUID = 1L;

  private final String run;
  private final String branch;
  private final long expected;
  private final long actual;

  /**
   * @param expected the value the journal required (head, or head + 1 for an explicit seq)
   * @param actual the value the caller gave
   */
  public SequenceConflictException(String run, String branch, long expected, long actual) {
    super(
        "sequence-conflict",
        "sequence conflict on run "
            + quote(run)
            + " branch "
            + quote(branch)
            + ": expected "
            + expected
            + ", got "
            + actual);
    this.run = run;
    this.branch = branch;
    this.expected = expected;
    this.actual = actual;
  }

  /** The run. */
  public String run() {
    return run;
  }

  /** The branch. */
  public String branch() {
    return branch;
  }

  /** What the journal required. */
  public long expected() {
    return expected;
  }

  /** What the caller gave. */
  public long actual() {
    return actual;
  }
}
