package io.runjournal.client;

import java.util.List;
import java.util.Objects;

/**
 * What {@link RunJournalClient#read} asks for; every part left null takes the server's default.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * ReadOptions.defaults().afterSeq(120).limit(500).types("node.started", "node.finished");
 * ReadOptions.defaults().types("session_id").descending().limit(1); // the latest session_id
 * }</pre>
 *
 * @param afterSeq only events after this seq (server default 0); the cursor an ascending read's
 *     {@link ReadPage#next()} continues from
 * @param beforeSeq only events before this seq; the cursor a descending read's {@link
 *     ReadPage#next()} continues from
 * @param limit at most this many events per page (server default 1000, at most 10000)
 * @param branch the branch, or null for {@code main}
 * @param types only events of these types; empty for all
 * @param order oldest or newest first, or null for oldest first
 * @param strict whether a malformed journal line fails the read instead of being skipped
 */
public record ReadOptions(
    Long afterSeq,
    Long beforeSeq,
    Integer limit,
    String branch,
    List<String> types,
    Order order,
    boolean strict) {

  /** The order of a read. */
  public enum Order {
    /** Oldest first ({@code order=asc}). */
    ASC,
    /** Newest first ({@code order=desc}). */
    DESC
  }

  /**
   * Copies {@code types} and checks the numbers.
   *
   * @throws IllegalArgumentException if {@code afterSeq < 0}, {@code beforeSeq < 0} or {@code limit
   *     < 1}
   */
  public ReadOptions {
    types = types == null ? List.of() : List.copyOf(types);
    if (afterSeq != null && afterSeq < 0) {
      throw new IllegalArgumentException("afterSeq must be >= 0, got " + afterSeq);
    }
    if (beforeSeq != null && beforeSeq < 0) {
      throw new IllegalArgumentException("beforeSeq must be >= 0, got " + beforeSeq);
    }
    if (limit != null && limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, got " + limit);
    }
  }

  /** Everything of branch {@code main}, oldest first, in pages of the server's default size. */
  public static ReadOptions defaults() {
    return new ReadOptions(null, null, null, null, List.of(), null, false);
  }

  /** A copy reading after this seq. */
  public ReadOptions afterSeq(long seq) {
    return new ReadOptions(seq, beforeSeq, limit, branch, types, order, strict);
  }

  /** A copy reading only events before this seq. */
  public ReadOptions beforeSeq(long seq) {
    return new ReadOptions(afterSeq, seq, limit, branch, types, order, strict);
  }

  /** A copy with this page size. */
  public ReadOptions limit(int events) {
    return new ReadOptions(afterSeq, beforeSeq, events, branch, types, order, strict);
  }

  /** A copy reading this branch (null for {@code main}). */
  public ReadOptions branch(String name) {
    return new ReadOptions(afterSeq, beforeSeq, limit, name, types, order, strict);
  }

  /** A copy reading only these types (none: all). */
  public ReadOptions types(String... eventTypes) {
    return types(List.of(eventTypes));
  }

  /** A copy reading only these types (empty: all). */
  public ReadOptions types(List<String> eventTypes) {
    return new ReadOptions(afterSeq, beforeSeq, limit, branch, eventTypes, order, strict);
  }

  /** A copy reading newest first. */
  public ReadOptions descending() {
    return new ReadOptions(afterSeq, beforeSeq, limit, branch, types, Order.DESC, strict);
  }

  /** A copy reading in this order. */
  public ReadOptions order(Order newOrder) {
    return new ReadOptions(afterSeq, beforeSeq, limit, branch, types, newOrder, strict);
  }

  /** A copy that fails on a malformed line instead of skipping it. */
  public ReadOptions strict(boolean failOnMalformed) {
    return new ReadOptions(afterSeq, beforeSeq, limit, branch, types, order, failOnMalformed);
  }

  /** Whether the read is newest first. */
  public boolean isDescending() {
    return Objects.equals(order, Order.DESC);
  }
}
