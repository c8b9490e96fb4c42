package io.runjournal;

/** When the file store forces written events to stable storage (DESIGN §3). */
public enum FsyncPolicy {
  /**
   * An append is acknowledged only after {@code fdatasync}; concurrent appends share one sync
   * (group commit). Survives a power loss.
   */
  ALWAYS,
  /** Acknowledged once written to the OS; synced on a timer ({@code fsyncInterval}). */
  INTERVAL,
  /** Acknowledged once written to the OS; the OS decides when to sync. */
  NONE;

  /** Parses {@code always}, {@code interval} or {@code none}, ignoring case. */
  public static FsyncPolicy parse(String text) {
    for (FsyncPolicy policy : values()) {
      if (policy.name().equalsIgnoreCase(text)) {
        return policy;
      }
    }
    throw new IllegalArgumentException(
        "unknown fsync policy "
            + RunJournalException.quote(text)
            + ": use always, interval or none");
  }
}
