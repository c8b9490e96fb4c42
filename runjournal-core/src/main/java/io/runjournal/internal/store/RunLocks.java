package io.runjournal.internal.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The per-run lock inside this JVM: striped by journal path and shared by every journal instance,
 * so that two instances on one directory never both ask the OS for the same file lock (which the
 * JVM would refuse with {@code OverlappingFileLockException}).
 */
final class RunLocks {
  private static final int STRIPES = 1024;
  private static final ReentrantLock[] LOCKS = new ReentrantLock[STRIPES];

  static {
    for (int i = 0; i < STRIPES; i++) {
      LOCKS[i] = new ReentrantLock();
    }
  }

  private RunLocks() {}

  /**
   * The lock of {@code journal}, keyed by its canonical path, so that every spelling of one file
   * (relative, with {@code ..}, through a symlink) gets the same lock, even before the file exists.
   */
  static ReentrantLock forFile(Path journal) {
    return forKey(canonical(journal).toString());
  }

  /** {@code file}'s absolute path with symlinks of its existing ancestors resolved. */
  static Path canonical(Path file) {
    Path absolute = file.toAbsolutePath();
    Path existing = absolute;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return absolute.normalize();
    }
    try {
      return existing.toRealPath().resolve(existing.relativize(absolute)).normalize();
    } catch (IOException e) {
      return absolute.normalize();
    }
  }

  private static ReentrantLock forKey(String canonicalPath) {
    int hash = canonicalPath.hashCode();
    return LOCKS[(hash ^ (hash >>> 16)) & (STRIPES - 1)];
  }
}
