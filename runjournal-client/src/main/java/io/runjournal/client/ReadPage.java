package io.runjournal.client;

import java.util.List;

/**
 * One page of a read.
 *
 * @param run the run
 * @param branch the branch
 * @param events the events, in the order asked for
 * @param head the branch's head when the server read the page
 * @param next the cursor of the following page, or null when there is no more: its {@code afterSeq}
 *     when reading oldest first, its {@code beforeSeq} when reading newest first
 */
public record ReadPage(String run, String branch, List<Event> events, long head, Long next) {

  /** Copies the list. */
  public ReadPage {
    events = List.copyOf(events);
  }
}
