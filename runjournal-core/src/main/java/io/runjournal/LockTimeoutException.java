package io.runjournal;

import java.nio.file.Path;
import java.time.Duration;

/** The cross-process lock on a journal file was not acquired within the lock budget. */
public final class LockTimeoutException extends RunJournalException {
  private static final long serialVersionUID = 1L;

  private final transient Path path;
  private final Duration waited;

  /** Waited {@code waited} for the lock on {@code path}. */
  public LockTimeoutException(Path path, Duration waited) {
    super(
        "lock-timeout",
        "could not lock "
            + path
            + " within "
            + waited.toMillis()
            + " ms: another process holds it; nothing was written");
    this.path = path;
    this.waited = waited;
  }

  /** The journal file. */
  public Path path() {
    return path;
  }

  /** How long the journal waited. */
  public Duration waited() {
    return waited;
  }
}
