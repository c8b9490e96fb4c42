package io.runjournal;

import io.runjournal.model.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every way of reading a run, captured as comparable values: before and after archiving (or a crash
 * in the middle of it) a run must read exactly the same. Events are compared as their stored lines.
 *
 * @param pagedAscending each branch read front to back in pages of 7
 * @param descending each branch read newest first in pages of 5
 * @param typed each branch filtered to two types, after seq 3
 * @param info heads, end state, last event time and journal size
 * @param lastEvent the line of the last event at the end of the file
 * @param size the journal's size
 * @param verified lines and valid events the strict check counted, and its problems
 * @param subscribed each branch delivered by a subscription from 0 until it completes
 */
public record ReadForms(
    Map<String, List<String>> pagedAscending,
    Map<String, List<String>> descending,
    Map<String, List<String>> typed,
    RunInfo info,
    Optional<String> lastEvent,
    long size,
    String verified,
    Map<String, List<String>> subscribed) {

  /**
   * Reads {@code run} in every form; the subscriptions must complete (the run has ended). Used by
   * the file store's archive tests and by the store-independent contract ({@code
   * io.runjournal.contract}).
   *
   * @throws InterruptedException if interrupted while a subscription waits
   * @throws AssertionError if a subscription stalls before the run's end
   */
  public static ReadForms of(Journal journal, String run) throws InterruptedException {
    RunInfo info = journal.info(run);
    Map<String, List<String>> ascending = new TreeMap<>();
    Map<String, List<String>> descending = new TreeMap<>();
    Map<String, List<String>> typed = new TreeMap<>();
    Map<String, List<String>> subscribed = new TreeMap<>();
    for (String branch : info.heads().keySet()) {
      ascending.put(branch, pages(journal, run, ReadQuery.all().branch(branch).limit(7), false));
      descending.put(
          branch, pages(journal, run, ReadQuery.all().branch(branch).newestFirst().limit(5), true));
      typed.put(
          branch,
          lines(
              journal
                  .read(
                      run,
                      ReadQuery.all()
                          .branch(branch)
                          .afterSeq(3)
                          .types(Set.of("step.done", "run.completed")))
                  .events()));
      subscribed.put(branch, subscribe(journal, run, branch));
    }
    VerifyReport report = journal.verify(run);
    return new ReadForms(
        ascending,
        descending,
        typed,
        info,
        journal.lastEvent(run).map(Event::line),
        journal.size(run),
        report.lines() + " lines, " + report.events() + " events, " + report.problems(),
        subscribed);
  }

  private static List<String> pages(
      Journal journal, String run, ReadQuery first, boolean newestFirst) {
    List<String> lines = new ArrayList<>();
    ReadQuery query = first;
    while (true) {
      ReadResult page = journal.read(run, query);
      lines.addAll(lines(page.events()));
      if (page.next() == null) {
        return lines;
      }
      query = newestFirst ? query.beforeSeq(page.next()) : query.afterSeq(page.next());
    }
  }

  private static List<String> subscribe(Journal journal, String run, String branch)
      throws InterruptedException {
    List<String> lines = new ArrayList<>();
    try (Subscription subscription =
        journal.subscribe(run, SubscribeOptions.fromStart().branch(branch).maxBatch(11))) {
      while (!subscription.isComplete()) {
        List<Event> events = subscription.poll(Duration.ofSeconds(10));
        if (events.isEmpty() && !subscription.isComplete()) {
          throw new AssertionError("the subscription to " + run + "/" + branch + " stalled");
        }
        lines.addAll(lines(events));
      }
    }
    return lines;
  }

  private static List<String> lines(List<Event> events) {
    return events.stream().map(Event::line).toList();
  }
}
