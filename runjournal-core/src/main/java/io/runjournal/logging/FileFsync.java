package io.runjournal.logging;

/** When a file sink forces its writes to stable storage. */
public enum FileFsync {
  /**
   * At most once per interval (default 5 s): after a write once the interval has passed since the
   * last sync, when the sink is idle with unsynced lines, before a rotation and at close.
   */
  PERIODIC,
  /** Never: the operating system writes the file back when it chooses. */
  NONE
}
