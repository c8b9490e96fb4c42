package io.runjournal;

import java.nio.file.Path;

/**
 * The disk (or quota) is full. The failed batch was removed from the journal; every acknowledged
 * event is intact, and appends succeed again once space returns.
 */
public final class StorageFullException extends StorageException {
  private static final long serialVersionUID = 1L;

  /** No space left while doing {@code what} on {@code path}. */
  public StorageFullException(Path path, String what, Throwable cause) {
    super("storage-full", path, what, cause);
  }
}
