package io.runjournal.client;

import java.util.List;

/**
 * One page of a run listing.
 *
 * @param runs the runs' summaries
 * @param next the cursor of the following page ({@link ListRunsOptions#cursor}), or null when there
 *     is no more
 */
public record RunsPage(List<RunSummary> runs, String next) {

  /** Copies the list. */
  public RunsPage {
    runs = List.copyOf(runs);
  }
}
