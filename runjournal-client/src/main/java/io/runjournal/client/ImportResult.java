package io.runjournal.client;

import java.util.Objects;

/**
 * What {@link RunJournalClient#importRun} did.
 *
 * @param created true if the server wrote the events (201); false if the run already held exactly
 *     them and nothing changed (200)
 * @param summary the run's summary afterwards
 */
public record ImportResult(boolean created, RunSummary summary) {

  /** Checks the summary is present. */
  public ImportResult {
    Objects.requireNonNull(summary, "summary");
  }
}
