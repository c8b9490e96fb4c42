package io.runjournal;

import java.nio.file.Path;

/**
 * Reading or writing the store failed. For an append, nothing of the batch is acknowledged; the
 * journal keeps no partial batch behind where it could remove it.
 */
public class StorageException extends RunJournalException {
  private static final long serialVersionUID = 1L;

  private final transient Path path;

  /** An I/O failure on {@code path} while doing {@code what}. */
  public StorageException(Path path, String what, Throwable cause) {
    this("storage-error", path, what, cause);
  }

  /** A failure with its own slug. */
  protected StorageException(String code, Path path, String what, Throwable cause) {
    super(
        code,
        what + " " + path + " failed: " + (cause == null ? "unknown cause" : cause.getMessage()),
        cause);
    this.path = path;
  }

  /** The file or directory involved. */
  public Path path() {
    return path;
  }
}
