package io.runjournal.model;

import java.util.Set;

/** Event types with a meaning to the journal itself. */
public final class EventTypes {
  /** Appended when a run is created. */
  public static final String RUN_CREATED = "run.created";

  /** Terminal: the run finished successfully. */
  public static final String RUN_COMPLETED = "run.completed";

  /** Terminal: the run failed. */
  public static final String RUN_FAILED = "run.failed";

  /** Terminal: the run was cancelled. */
  public static final String RUN_CANCELLED = "run.cancelled";

  /** Terminal: the run was interrupted (its producer went away). */
  public static final String RUN_INTERRUPTED = "run.interrupted";

  /**
   * Appended by start-up recovery to a run that was active when the store went down: {@code
   * {"head","tornBytes","downtimeMs"}}. Not terminal.
   */
  public static final String RUN_RECOVERED = "run.recovered";

  private static final Set<String> TERMINAL =
      Set.of(RUN_COMPLETED, RUN_FAILED, RUN_CANCELLED, RUN_INTERRUPTED);

  private EventTypes() {}

  /** Whether an event of this type ends its run: later appends fail with {@code run-ended}. */
  public static boolean isTerminal(String type) {
    return TERMINAL.contains(type);
  }
}
