package io.runjournal.client;

/**
 * Where and under which condition a batch is appended. Immutable and thread-safe.
 *
 * @param branch the branch, or null for {@code main}
 * @param expectedSeq append only if the branch's head is this (0 = the branch is empty), else fail
 *     with a {@link SequenceConflictException}; null for no condition
 */
public record AppendOptions(String branch, Long expectedSeq) {

  /**
   * Checks {@code expectedSeq}.
   *
   * @throws IllegalArgumentException if {@code expectedSeq < 0}
   */
  public AppendOptions {
    if (expectedSeq != null && expectedSeq < 0) {
      throw new IllegalArgumentException("expectedSeq must be >= 0, got " + expectedSeq);
    }
  }

  /** Branch {@code main}, no condition. */
  public static AppendOptions defaults() {
    return new AppendOptions(null, null);
  }

  /** A copy appending to this branch (null for {@code main}). */
  public AppendOptions branch(String name) {
    return new AppendOptions(name, expectedSeq);
  }

  /** A copy that appends only if the branch's head is {@code head} (0 = empty). */
  public AppendOptions expectedSeq(long head) {
    return new AppendOptions(branch, head);
  }
}
