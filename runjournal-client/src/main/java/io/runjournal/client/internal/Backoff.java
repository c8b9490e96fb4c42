package io.runjournal.client.internal;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter: before attempt {@code n + 1} (after {@code n} failures) wait
 * {@code min(max, initial * 2^(n-1))} plus a random part of up to half of it. The wait is never
 * shorter than the nominal delay (a server's SSE {@code retry} is honoured) and clients that failed
 * together spread out. Thread-safe when the generator is.
 */
public final class Backoff {
  private static final int MAX_SHIFT = 30;

  private Backoff() {}

  /**
   * The wait after {@code failures} consecutive failures (at least 1).
   *
   * @param initial the nominal delay after the first failure
   * @param max the longest nominal delay
   */
  public static Duration delay(
      Duration initial, Duration max, int failures, RandomGenerator random) {
    long initialNanos = initial.toNanos();
    long maxNanos = Math.max(initialNanos, max.toNanos());
    int shift = Math.min(Math.max(failures, 1) - 1, MAX_SHIFT);
    long nominal =
        initialNanos > (maxNanos >> shift) ? maxNanos : Math.min(maxNanos, initialNanos << shift);
    long jitter = nominal < 2 ? 0 : random.nextLong(nominal / 2 + 1);
    return Duration.ofNanos(nominal + jitter);
  }
}
