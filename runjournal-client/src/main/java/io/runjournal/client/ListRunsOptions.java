package io.runjournal.client;

/**
 * What {@link RunJournalClient#listRuns} asks for; every part left null takes the server's default.
 * Immutable and thread-safe.
 *
 * @param prefix only runs whose id starts with this
 * @param status only runs with this status ({@code running}, {@code succeeded}, …)
 * @param limit at most this many runs per page (at most 1000)
 * @param cursor the {@link RunsPage#next()} of the previous page
 * @param order by id or most recent first
 */
public record ListRunsOptions(
    String prefix, String status, Integer limit, String cursor, Order order) {

  /** The order of a run listing. */
  public enum Order {
    /** By run id ({@code order=id}). */
    ID,
    /** Most recently active first ({@code order=recent}). */
    RECENT
  }

  /**
   * Checks the limit.
   *
   * @throws IllegalArgumentException if {@code limit < 1}
   */
  public ListRunsOptions {
    if (limit != null && limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, got " + limit);
    }
  }

  /** Every run, in the server's default order and page size. */
  public static ListRunsOptions defaults() {
    return new ListRunsOptions(null, null, null, null, null);
  }

  /** A copy listing only runs whose id starts with {@code idPrefix}. */
  public ListRunsOptions prefix(String idPrefix) {
    return new ListRunsOptions(idPrefix, status, limit, cursor, order);
  }

  /** A copy listing only runs with this status. */
  public ListRunsOptions status(String runStatus) {
    return new ListRunsOptions(prefix, runStatus, limit, cursor, order);
  }

  /** A copy with this page size. */
  public ListRunsOptions limit(int runs) {
    return new ListRunsOptions(prefix, status, runs, cursor, order);
  }

  /** A copy continuing after a page: its {@link RunsPage#next()}. */
  public ListRunsOptions cursor(String next) {
    return new ListRunsOptions(prefix, status, limit, next, order);
  }

  /** A copy in this order. */
  public ListRunsOptions order(Order newOrder) {
    return new ListRunsOptions(prefix, status, limit, cursor, newOrder);
  }
}
