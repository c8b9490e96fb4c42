package io.runjournal.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How often and how patiently the client tries again: at most {@code maxAttempts} attempts in all,
 * waiting between attempts with exponential backoff from {@code initialBackoff}, doubling up to
 * {@code maxBackoff}, plus a random jitter of up to half the delay (so the wait is never shorter
 * than the nominal delay, and clients that failed together do not retry together).
 *
 * <p>Used for requests ({@link RunJournalClient.Builder#retryPolicy}) and for the reconnects of a
 * subscription ({@link RunJournalClient.Builder#reconnectPolicy}). Immutable and thread-safe.
 *
 * @param maxAttempts the number of attempts in all, at least 1 ({@link Integer#MAX_VALUE}: no
 *     limit)
 * @param initialBackoff the delay before the second attempt
 * @param maxBackoff the longest delay before jitter, at least {@code initialBackoff}
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

  /**
   * Validates the policy.
   *
   * @throws IllegalArgumentException if {@code maxAttempts < 1}, a backoff is negative, or {@code
   *     maxBackoff < initialBackoff}
   */
  public RetryPolicy {
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
    }
    if (initialBackoff.isNegative()) {
      throw new IllegalArgumentException("initialBackoff must be >= 0, got " + initialBackoff);
    }
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "maxBackoff (" + maxBackoff + ") must be >= initialBackoff (" + initialBackoff + ")");
    }
  }

  /** The default for requests: 4 attempts, 200 ms doubling up to 5 s. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(4, Duration.ofMillis(200), Duration.ofSeconds(5));
  }

  /** The default for subscriptions: reconnect without limit, 1 s doubling up to 30 s. */
  public static RetryPolicy reconnectForever() {
    return new RetryPolicy(Integer.MAX_VALUE, Duration.ofSeconds(1), Duration.ofSeconds(30));
  }

  /** A single attempt: never retry. */
  public static RetryPolicy none() {
    return new RetryPolicy(1, Duration.ZERO, Duration.ZERO);
  }

  /** A copy with this number of attempts in all. */
  public RetryPolicy withMaxAttempts(int attempts) {
    return new RetryPolicy(attempts, initialBackoff, maxBackoff);
  }

  /** A copy with these backoff bounds. */
  public RetryPolicy withBackoff(Duration initial, Duration max) {
    return new RetryPolicy(maxAttempts, initial, max);
  }
}
