package io.runjournal.torture;

import static org.assertj.core.api.Assertions.assertThat;

import io.runjournal.Journal;
import io.runjournal.ReadQuery;
import io.runjournal.ReadResult;
import io.runjournal.VerifyReport;
import io.runjournal.model.Event;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Whole-journal reads and checks shared by the torture tests. */
final class Journals {
  private Journals() {}

  /** Every event of {@code branch}, paging through the journal, failing on a malformed line. */
  static List<Event> readAll(Journal journal, String run, String branch) {
    List<Event> events = new ArrayList<>();
    long after = 0;
    while (true) {
      ReadResult page =
          journal.read(run, ReadQuery.all().branch(branch).afterSeq(after).failOnMalformed());
      events.addAll(page.events());
      if (page.next() == null) {
        return events;
      }
      after = page.next();
    }
  }

  /**
   * Checks that branch main of {@code run} is exactly seqs 1..N, every line valid, every id once.
   *
   * @return the events by id
   */
  static Map<String, Event> assertDenseAndUnique(Journal journal, String run, String context) {
    VerifyReport report = journal.verify(run);
    assertThat(report.problems()).as("%s: malformed lines", context).isEmpty();
    assertThat(report.tornBytes()).as("%s: torn tail", context).isZero();
    List<Event> events = readAll(journal, run, "main");
    assertThat(report.events())
        .as("%s: valid lines vs events read", context)
        .isEqualTo(events.size());
    Map<String, Event> byId = new HashMap<>();
    for (int i = 0; i < events.size(); i++) {
      Event event = events.get(i);
      assertThat(event.seq()).as("%s: seq of event #%d", context, i + 1).isEqualTo(i + 1);
      if (event.id() != null) {
        Event earlier = byId.put(event.id(), event);
        assertThat(earlier).as("%s: id %s written twice: %s", context, event.id(), event).isNull();
      }
    }
    assertThat(journal.head(run, "main")).as("%s: head", context).isEqualTo(events.size());
    return byId;
  }
}
