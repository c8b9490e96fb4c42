package io.runjournal;

/** A serialized event is larger than the configured maximum event size. */
public final class EventTooLargeException extends RunJournalException {
  private static final long serialVersionUID = 1L;

  private final long size;
  private final long max;

  /** An event of {@code size} bytes, over the maximum of {@code max}. */
  public EventTooLargeException(String run, String type, long size, long max) {
    super(
        "payload-too-large",
        "event of type "
            + quote(type)
            + " for run "
            + quote(run)
            + " is "
            + size
            + " bytes serialized, over the maximum of "
            + max
            + " bytes");
    this.size = size;
    this.max = max;
  }

  /** The serialized size in bytes. */
  public long size() {
    return size;
  }

  /** The configured maximum in bytes. */
  public long max() {
    return max;
  }
}
