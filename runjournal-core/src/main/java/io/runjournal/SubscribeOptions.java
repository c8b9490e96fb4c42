package io.runjournal;

import io.runjournal.model.Ids;
import java.util.Set;

/**
 * Where a subscription starts and what it delivers. Immutable.
 *
 * @param branch the branch ({@code main} when null)
 * @param afterSeq deliver events after this seq (0 = everything; the head = only new events)
 * @param types only these types (empty = every type)
 * @param maxBatch at most this many events per {@link Subscription#poll}
 */
public record SubscribeOptions(String branch, long afterSeq, Set<String> types, int maxBatch) {

  /** Validates the bounds. */
  public SubscribeOptions {
    branch = Ids.requireBranch(branch);
    types = types == null ? Set.of() : Set.copyOf(types);
    if (afterSeq < 0) {
      throw new IllegalArgumentException("afterSeq must be >= 0, got " + afterSeq);
    }
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
    }
  }

  /** Branch main, from the start, every type, batches of up to 500 events. */
  public static SubscribeOptions fromStart() {
    return new SubscribeOptions(null, 0, Set.of(), 500);
  }

  /** A copy following this branch. */
  public SubscribeOptions branch(String branchName) {
    return new SubscribeOptions(branchName, afterSeq, types, maxBatch);
  }

  /** A copy starting after {@code seq}. */
  public SubscribeOptions afterSeq(long seq) {
    return new SubscribeOptions(branch, seq, types, maxBatch);
  }

  /** A copy delivering only these types. */
  public SubscribeOptions types(Set<String> eventTypes) {
    return new SubscribeOptions(branch, afterSeq, eventTypes, maxBatch);
  }

  /** A copy delivering at most {@code max} events per poll. */
  public SubscribeOptions maxBatch(int max) {
    return new SubscribeOptions(branch, afterSeq, types, max);
  }
}
