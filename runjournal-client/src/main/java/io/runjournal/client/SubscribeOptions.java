package io.runjournal.client;

import java.util.List;

/**
 * Where a subscription starts and what it delivers. Immutable and thread-safe.
 *
 * @param afterSeq deliver events after this seq; null for the server's default (0: everything)
 * @param branch the branch, or null for {@code main}
 * @param types only events of these types; empty for all
 */
public record SubscribeOptions(Long afterSeq, String branch, List<String> types) {

  /**
   * Copies {@code types} and checks {@code afterSeq}.
   *
   * @throws IllegalArgumentException if {@code afterSeq < 0}
   */
  public SubscribeOptions {
    types = types == null ? List.of() : List.copyOf(types);
    if (afterSeq != null && afterSeq < 0) {
      throw new IllegalArgumentException("afterSeq must be >= 0, got " + afterSeq);
    }
  }

  /** Every event of branch {@code main}, from the first. */
  public static SubscribeOptions fromStart() {
    return new SubscribeOptions(null, null, List.of());
  }

  /** Events after this seq; pass the branch's head to start at the live tail. */
  public static SubscribeOptions after(long seq) {
    return new SubscribeOptions(seq, null, List.of());
  }

  /** A copy starting after this seq. */
  public SubscribeOptions afterSeq(long seq) {
    return new SubscribeOptions(seq, branch, types);
  }

  /** A copy following this branch (null for {@code main}). */
  public SubscribeOptions branch(String name) {
    return new SubscribeOptions(afterSeq, name, types);
  }

  /** A copy delivering only these types (none: all). */
  public SubscribeOptions types(String... eventTypes) {
    return types(List.of(eventTypes));
  }

  /** A copy delivering only these types (empty: all). */
  public SubscribeOptions types(List<String> eventTypes) {
    return new SubscribeOptions(afterSeq, branch, eventTypes);
  }
}
