package io.runjournal.torture;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.function.Executable;

/**
 * Sizes torture loops by the {@code runjournal.torture} system property ({@code quick} by default,
 * {@code long} for {@code mvn verify -Drunjournal.torture=long}) and hands out seeds; a failing
 * seed is replayed with {@code -Drunjournal.seed=N}.
 */
final class Torture {
  private Torture() {}

  /** Whether the long torture runs were asked for. */
  static boolean isLong() {
    return "long".equalsIgnoreCase(System.getProperty("runjournal.torture", "quick").trim());
  }

  /** {@code quick} in the default build, {@code longRun} with {@code -Drunjournal.torture=long}. */
  static int size(int quick, int longRun) {
    return isLong() ? longRun : quick;
  }

  /** The seed given with {@code -Drunjournal.seed}, or a fresh random one. */
  static long seed() {
    String fixed = System.getProperty("runjournal.seed");
    return fixed == null || fixed.isBlank()
        ? ThreadLocalRandom.current().nextLong()
        : Long.parseLong(fixed.trim());
  }

  /**
   * Runs a torture loop within a budget sized by the mode: 2 minutes quick, 60 minutes long. A test
   * using it lifts its own {@code @Timeout} above the long budget, so that a quick run still fails
   * fast when it hangs and a long run is not cut by the 120 s default.
   */
  static void withinBudget(Executable body) {
    assertTimeoutPreemptively(isLong() ? Duration.ofMinutes(60) : Duration.ofMinutes(2), body);
  }
}
