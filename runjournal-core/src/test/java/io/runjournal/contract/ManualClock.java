package io.runjournal.contract;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A UTC clock that a test sets and moves by hand, also backwards. Thread-safe. */
final class ManualClock extends Clock {
  private volatile Instant now;

  /** A clock showing {@code start}, e.g. {@code 2026-03-04T05:06:07.089Z}. */
  ManualClock(String start) {
    this.now = Instant.parse(start);
  }

  /** Shows {@code instant} from now on. */
  void set(String instant) {
    now = Instant.parse(instant);
  }

  /** Moves the clock by {@code amount}, which may be negative. */
  void advance(Duration amount) {
    now = now.plus(amount);
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
    throw new UnsupportedOperationException("a manual clock shows UTC only");
  }
}
