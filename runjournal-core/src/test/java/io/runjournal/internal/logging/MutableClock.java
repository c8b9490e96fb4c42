package io.runjournal.internal.logging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that tests move by hand. Thread-safe. */
final class MutableClock extends Clock {
  private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

  private volatile Instant now = START;

  /** Sets the time to {@code sinceStart} after the clock's start. */
  void setSinceStart(Duration sinceStart) {
    now = START.plus(sinceStart);
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("a test clock has one zone");
  }
}
