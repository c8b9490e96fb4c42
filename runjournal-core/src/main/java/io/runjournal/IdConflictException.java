package io.runjournal;

/**
 * An event reuses the id of an earlier event of the run with a different type or data. Nothing of
 * the batch was written.
 */
public final class IdConflictException extends RunJournalException {
  private static final long serialVersionUID = 1L;

  private final String run;
  private final String eventId;
  private final String originalBranch;
  private final long originalSeq;

  /** The id {@code eventId} already names event {@code originalSeq} on {@code originalBranch}. */
  public IdConflictException(String run, String eventId, String originalBranch, long originalSeq) {
    super(
        "id-conflict",
        "event id "
            + quote(eventId)
            + " already names seq "
            + originalSeq
            + " on branch "
            + quote(originalBranch)
            + " of run "
            + quote(run)
            + " with a different type or data");
    this.run = run;
    this.eventId = eventId;
    this.originalBranch = originalBranch;
    this.originalSeq = originalSeq;
  }

  /** The run. */
  public String run() {
    return run;
  }

  /** The conflicting event id. */
  public String eventId() {
    return eventId;
  }

  /** The branch of the original event. */
  public String originalBranch() {
    return originalBranch;
  }

  /** The sequence number of the original event. */
  public long originalSeq() {
    return originalSeq;
  }
}
