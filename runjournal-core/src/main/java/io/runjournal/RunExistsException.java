package io.runjournal;

/**
 * An import found the run already holding other events than the ones imported (DESIGN §8): an
 * import only ever creates a run, or finds exactly its events there already.
 */
public final class RunExistsException extends RunJournalException {
  private static final long serialVersionUID = 1L;

  private final String run;
  private final long line;

  /**
   * Run {@code run} holds other events; {@code line} is the first line of its journal that differs
   * from the import (1-based), and {@code detail} says how.
   */
  public RunExistsException(String run, long line, String detail) {
    super("run-exists", "run " + quote(run) + " already exists with other events: " + detail);
    this.run = run;
    this.line = line;
  }

  /** The run. */
  public String run() {
    return run;
  }

  /** The first line (1-based) where the run's journal and the import differ. */
  public long line() {
    return line;
  }
}
