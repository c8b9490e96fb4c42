package io.runjournal.client;

import java.util.List;

/**
 * One page of a read.
 *
 * @param run the run
 * @param branch the branch
 * @param events the events, in the order asked for
 * @param head the branch's head when the server read the page
 * @param next the {@code afterSeq} to read the following page from, or null when there is no more
 */
public record ReadPage(String run, String branch, List<Event> events, long head, Long next) {

  /** Copies the list. */
  public ReadPage {
    events = List.copyOf(events);
  }
}
