package io.runjournal;

import io.runjournal.model.Event;
import java.util.List;

/**
 * The events a read returned.
 *
 * @param run the run
 * @param branch the branch
 * @param events the events, in the query's order
 * @param head the branch's head when the read started
 * @param next the cursor to continue from ({@code afterSeq} ascending, {@code beforeSeq}
 *     descending) when the limit cut the read short, or null when there is no more
 */
public record ReadResult(String run, String branch, List<Event> events, long head, Long next) {

  /** Copies the list. */
  public ReadResult {
    events = List.copyOf(events);
  }
}
