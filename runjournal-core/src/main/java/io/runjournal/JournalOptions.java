package io.runjournal;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a file-store journal, validated when built and frozen afterwards. Immutable and
 * thread-safe.
 *
 * @param fsync the durability policy (default {@link FsyncPolicy#ALWAYS})
 * @param fsyncInterval the sync period of {@link FsyncPolicy#INTERVAL} (default 1 s)
 * @param maxEventBytes the largest serialized event accepted (default 1 MiB)
 * @param lockTimeout how long an append waits for the cross-process file lock (default 5 s)
 * @param maxOpenRuns how many runs keep an open file and in-memory state (default 256)
 * @param subscriptionPoll how often a waiting subscription checks the file for appends made by
 *     other processes (default 50 ms); appends in this process wake it at once
 * @param clock the source of event timestamps (default UTC system clock)
 * @param observer told of writes and fsyncs, e.g. for metrics (default: nobody)
 */
public record JournalOptions(
    FsyncPolicy fsync,
    Duration fsyncInterval,
    int maxEventBytes,
    Duration lockTimeout,
    int maxOpenRuns,
    Duration subscriptionPoll,
    Clock clock,
    JournalObserver observer) {

  /** The default maximum serialized event size: 1 MiB. */
  public static final int DEFAULT_MAX_EVENT_BYTES = 1 << 20;

  /** Validates every setting, naming the bad value. */
  public JournalOptions {
    Objects.requireNonNull(fsync, "fsync");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(observer, "observer");
    requirePositive("fsyncInterval", fsyncInterval);
    requirePositive("lockTimeout", lockTimeout);
    requirePositive("subscriptionPoll", subscriptionPoll);
    if (maxEventBytes < 256) {
      throw new IllegalArgumentException(
          "maxEventBytes must be at least 256, got " + maxEventBytes);
    }
    if (maxOpenRuns < 1) {
      throw new IllegalArgumentException("maxOpenRuns must be at least 1, got " + maxOpenRuns);
    }
  }

  /** The defaults: fsync always, 1 MiB events, 5 s lock budget, 256 open runs. */
  public static JournalOptions defaults() {
    return new JournalOptions(
        FsyncPolicy.ALWAYS,
        Duration.ofSeconds(1),
        DEFAULT_MAX_EVENT_BYTES,
        Duration.ofSeconds(5),
        256,
        Duration.ofMillis(50),
        Clock.systemUTC(),
        JournalObserver.NONE);
  }

  /** A copy with this fsync policy. */
  public JournalOptions withFsync(FsyncPolicy policy) {
    return new JournalOptions(
        policy,
        fsyncInterval,
        maxEventBytes,
        lockTimeout,
        maxOpenRuns,
        subscriptionPoll,
        clock,
        observer);
  }

  /** A copy with this sync period for {@link FsyncPolicy#INTERVAL}. */
  public JournalOptions withFsyncInterval(Duration interval) {
    return new JournalOptions(
        fsync,
        interval,
        maxEventBytes,
        lockTimeout,
        maxOpenRuns,
        subscriptionPoll,
        clock,
        observer);
  }

  /** A copy with this maximum serialized event size. */
  public JournalOptions withMaxEventBytes(int bytes) {
    return new JournalOptions(
        fsync, fsyncInterval, bytes, lockTimeout, maxOpenRuns, subscriptionPoll, clock, observer);
  }

  /** A copy with this cross-process lock budget. */
  public JournalOptions withLockTimeout(Duration timeout) {
    return new JournalOptions(
        fsync,
        fsyncInterval,
        maxEventBytes,
        timeout,
        maxOpenRuns,
        subscriptionPoll,
        clock,
        observer);
  }

  /** A copy with this bound on open runs. */
  public JournalOptions withMaxOpenRuns(int runs) {
    return new JournalOptions(
        fsync, fsyncInterval, maxEventBytes, lockTimeout, runs, subscriptionPoll, clock, observer);
  }

  /** A copy with this cross-process poll period for subscriptions. */
  public JournalOptions withSubscriptionPoll(Duration poll) {
    return new JournalOptions(
        fsync, fsyncInterval, maxEventBytes, lockTimeout, maxOpenRuns, poll, clock, observer);
  }

  /** A copy with this clock. */
  public JournalOptions withClock(Clock eventClock) {
    return new JournalOptions(
        fsync,
        fsyncInterval,
        maxEventBytes,
        lockTimeout,
        maxOpenRuns,
        subscriptionPoll,
        eventClock,
        observer);
  }

  /** A copy that reports writes and fsyncs to {@code journalObserver}. */
  public JournalOptions withObserver(JournalObserver journalObserver) {
    return new JournalOptions(
        fsync,
        fsyncInterval,
        maxEventBytes,
        lockTimeout,
        maxOpenRuns,
        subscriptionPoll,
        clock,
        journalObserver);
  }

  private static void requirePositive(String name, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }
}
