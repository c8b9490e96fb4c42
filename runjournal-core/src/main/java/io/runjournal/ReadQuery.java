package io.runjournal;

import io.runjournal.model.Ids;
import java.util.Set;

/**
 * Which events of one branch a read returns. Immutable; start from {@link #all()}.
 *
 * @param branch the branch ({@code main} when null)
 * @param afterSeq only events with a greater seq (0 = from the start)
 * @param beforeSeq only events with a smaller seq ({@code Long.MAX_VALUE} = no bound); useful to
 *     page a descending read
 * @param limit at most this many events
 * @param types only these types (empty = every type)
 * @param descending newest first
 * @param strict fail with {@link MalformedEventException} on a malformed line instead of skipping
 *     it
 */
public record ReadQuery(
    String branch,
    long afterSeq,
    long beforeSeq,
    int limit,
    Set<String> types,
    boolean descending,
    boolean strict) {

  /** The default limit of a read. */
  public static final int DEFAULT_LIMIT = 1000;

  /** Validates the bounds. */
  public ReadQuery {
    branch = Ids.requireBranch(branch);
    types = types == null ? Set.of() : Set.copyOf(types);
    if (afterSeq < 0) {
      throw new IllegalArgumentException("afterSeq must be >= 0, got " + afterSeq);
    }
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, got " + limit);
    }
  }

  /** Branch main, from the start, ascending, tolerant, at most {@value #DEFAULT_LIMIT} events. */
  public static ReadQuery all() {
    return new ReadQuery(null, 0, Long.MAX_VALUE, DEFAULT_LIMIT, Set.of(), false, false);
  }

  /** A copy reading this branch. */
  public ReadQuery branch(String branchName) {
    return new ReadQuery(branchName, afterSeq, beforeSeq, limit, types, descending, strict);
  }

  /** A copy returning only events after {@code seq}. */
  public ReadQuery afterSeq(long seq) {
    return new ReadQuery(branch, seq, beforeSeq, limit, types, descending, strict);
  }

  /** A copy returning only events before {@code seq}. */
  public ReadQuery beforeSeq(long seq) {
    return new ReadQuery(branch, afterSeq, seq, limit, types, descending, strict);
  }

  /** A copy returning at most {@code max} events. */
  public ReadQuery limit(int max) {
    return new ReadQuery(branch, afterSeq, beforeSeq, max, types, descending, strict);
  }

  /** A copy returning only events of these types. */
  public ReadQuery types(Set<String> eventTypes) {
    return new ReadQuery(branch, afterSeq, beforeSeq, limit, eventTypes, descending, strict);
  }

  /** A copy returning the newest events first. */
  public ReadQuery newestFirst() {
    return new ReadQuery(branch, afterSeq, beforeSeq, limit, types, true, strict);
  }

  /** A copy that fails on a malformed line. */
  public ReadQuery failOnMalformed() {
    return new ReadQuery(branch, afterSeq, beforeSeq, limit, types, descending, true);
  }

  /** Whether an event of {@code type} passes the type filter. */
  public boolean acceptsType(String type) {
    return types.isEmpty() || types.contains(type);
  }
}
