package io.runjournal.server.dashboard;

import io.runjournal.AppendRequest;
import io.runjournal.model.NewEvent;
import io.runjournal.server.Browser;
import io.runjournal.server.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

/** What the dashboard tests share: appends through the journal and reads of the page's state. */
final class Dashboard {
  private Dashboard() {}

  /** Appends {@code count} {@code step} events numbered from {@code from}, as one batch. */
  static void appendSteps(TestServer server, String run, int count, int from) {
    List<NewEvent> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      events.add(NewEvent.of("step", "{\"n\":" + (from + i) + "}"));
    }
    server.server().journal().append(run, AppendRequest.of(events));
  }

  /** Appends the events as one batch. */
  static void append(TestServer server, String run, NewEvent... events) {
    server.server().journal().append(run, AppendRequest.of(events));
  }

  /** The seqs the run page holds, in its order ({@code window.runjournalDashboard.timeline}). */
  @SuppressWarnings("unchecked")
  static List<Long> timelineSeqs(Browser browser) {
    Object seqs =
        browser.js(
            "const t = window.runjournalDashboard && window.runjournalDashboard.timeline;"
                + " return t ? t.seqs : [];");
    List<Long> result = new ArrayList<>();
    for (Object seq : (List<Object>) seqs) {
      result.add(((Number) seq).longValue());
    }
    return result;
  }

  /** A number from the run page's state, or -1 before the page has one. */
  static long timelineNumber(Browser browser, String field) {
    Object value =
        browser.js(
            "const t = window.runjournalDashboard && window.runjournalDashboard.timeline;"
                + " return t ? t[arguments[0]] : -1;",
            field);
    return value instanceof Number number ? number.longValue() : -1;
  }

  /** True when the run page's state has {@code field} true. */
  static boolean timelineFlag(Browser browser, String field) {
    return Boolean.TRUE.equals(
        browser.js(
            "const t = window.runjournalDashboard && window.runjournalDashboard.timeline;"
                + " return !!(t && t[arguments[0]]);",
            field));
  }

  /** The text of the rendered timeline rows' seq cells, top to bottom ("#1", "#2", …). */
  @SuppressWarnings("unchecked")
  static List<String> renderedSeqTexts(Browser browser) {
    return (List<String>)
        browser.js(
            "return Array.from(document.querySelectorAll('#timeline .timeline-row'))"
                + ".sort((a, b) => a.offsetTop - b.offsetTop)"
                + ".map(row => row.querySelector('.seq').textContent);");
  }

  /** The text content of the element with this id, or null. */
  static String text(Browser browser, String id) {
    return (String)
        browser.js(
            "const e = document.getElementById(arguments[0]); return e ? e.textContent : null;",
            id);
  }

  /** {@code 1..n}. */
  static List<Long> oneTo(long n) {
    return LongStream.rangeClosed(1, n).boxed().toList();
  }
}
