package io.runjournal.server.store;

import io.runjournal.projection.RunProjections;
import io.runjournal.recovery.Recovery;
import io.runjournal.recovery.RecoveryOptions;
import io.runjournal.recovery.RecoveryReport;
import io.runjournal.server.ServerConfig;
import java.time.Clock;
import java.util.List;

/**
 * The start-up recovery a server runs on its store: core's {@link Recovery} on the file store, and
 * on PostgreSQL with {@code --recover-runs}; {@link SharedStoreRecovery}, which appends nothing, on
 * PostgreSQL otherwise. Stateless.
 */
public final class StartupRecovery {
  private StartupRecovery() {}

  /**
   * Recovers the active runs of {@code store} as {@code config} says, telling every listener how it
   * goes (each must be thread-safe: core's recovery calls them from its workers).
   *
   * @throws io.runjournal.RunJournalException if the active runs cannot be listed
   */
  public static RecoveryReport run(
      ServerConfig config,
      OpenedStore store,
      RunProjections projections,
      List<Recovery.Listener> listeners) {
    Recovery.Listener all = fanOut(listeners);
    if (store.postgres() && !config.recoverRuns()) {
      return new SharedStoreRecovery(store.journal(), projections, Clock.systemUTC()).run(all);
    }
    RecoveryOptions options =
        RecoveryOptions.defaults().withInterruptAfter(config.interruptAfter());
    return new Recovery(store.journal(), projections, options).run(all);
  }

  private static Recovery.Listener fanOut(List<Recovery.Listener> listeners) {
    List<Recovery.Listener> copy = List.copyOf(listeners);
    return new Recovery.Listener() {
      @Override
      public void started(int activeRuns) {
        copy.forEach(listener -> listener.started(activeRuns));
      }

      @Override
      public void checked(String run) {
        copy.forEach(listener -> listener.checked(run));
      }
    };
  }
}
