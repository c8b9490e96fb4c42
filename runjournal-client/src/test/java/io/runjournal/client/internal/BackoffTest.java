package io.runjournal.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static final Duration INITIAL = Duration.ofMillis(100);
  private static final Duration MAX = Duration.ofSeconds(1);

  @Test
  void delay_doublesFromInitial_upToMax_withJitterOfAtMostHalf() {
    Random random = new Random(42);
    long[] nominal = {100, 200, 400, 800, 1000, 1000};
    for (int failures = 1; failures <= nominal.length; failures++) {
      for (int sample = 0; sample < 200; sample++) {
        long millis = Backoff.delay(INITIAL, MAX, failures, random).toMillis();
        assertThat(millis)
            .as("after %d failures", failures)
            .isBetween(nominal[failures - 1], nominal[failures - 1] * 3 / 2);
      }
    }
  }

  @Test
  void delay_neverOverflows_afterManyFailures() {
    Duration delay = Backoff.delay(Duration.ofDays(1), Duration.ofDays(2), 1_000, new Random(1));

    assertThat(delay).isBetween(Duration.ofDays(2), Duration.ofDays(3));
  }

  @Test
  void delay_ofZeroBackoff_isZero() {
    assertThat(Backoff.delay(Duration.ZERO, Duration.ZERO, 5, new Random(1))).isZero();
  }
}
