package io.runjournal.recovery;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link Recovery} works: whether idle runs are interrupted, how many runs it recovers at once,
 * and its clock. Immutable; validated when built.
 *
 * @param interruptAfter a run idle longer than this gets {@code run.interrupted}; null = never
 * @param parallelism how many runs are recovered at once (each on a virtual thread); their appends
 *     and snapshot writes are synced concurrently, which is what makes recovery of many runs fast
 * @param clock the source of "now" for downtimes and idleness
 */
public record RecoveryOptions(Duration interruptAfter, int parallelism, Clock clock) {

  /** The default parallelism (see BENCHMARKS.md, B6). */
  public static final int DEFAULT_PARALLELISM = 64;

  /** Checks the values. */
  public RecoveryOptions {
    Objects.requireNonNull(clock, "clock");
    if (interruptAfter != null && (interruptAfter.isNegative() || interruptAfter.isZero())) {
      throw new IllegalArgumentException("interruptAfter must be positive, got " + interruptAfter);
    }
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
    }
  }

  /** No interruption, {@value #DEFAULT_PARALLELISM} runs at once, the UTC system clock. */
  public static RecoveryOptions defaults() {
    return new RecoveryOptions(null, DEFAULT_PARALLELISM, Clock.systemUTC());
  }

  /** A copy that interrupts runs idle longer than {@code idle} (null: never). */
  public RecoveryOptions withInterruptAfter(Duration idle) {
    return new RecoveryOptions(idle, parallelism, clock);
  }

  /** A copy that recovers {@code runs} runs at once. */
  public RecoveryOptions withParallelism(int runs) {
    return new RecoveryOptions(interruptAfter, runs, clock);
  }

  /** A copy with this clock. */
  public RecoveryOptions withClock(Clock source) {
    return new RecoveryOptions(interruptAfter, parallelism, source);
  }
}
