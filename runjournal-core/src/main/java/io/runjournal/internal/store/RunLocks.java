package io.runjournal.internal.store;

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

  static ReentrantLock forKey(String absoluteJournalPath) {
    int hash = absoluteJournalPath.hashCode();
    return LOCKS[(hash ^ (hash >>> 16)) & (STRIPES - 1)];
  }
}
