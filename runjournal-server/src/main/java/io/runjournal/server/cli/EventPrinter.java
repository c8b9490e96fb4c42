package io.runjournal.server.cli;

import io.runjournal.model.Event;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Prints events in one of two forms. JSON lines: each event's canonical line, exactly as stored,
 * ending in {@code \n}. Pretty, for people:
 *
 * <pre>
 * -- 2026-11-21 (UTC) --
 * #7  10:15:30.123  node.started  {"n":1}
 * #8  10:15:30.200  tool.called  id=call-3  {"tool":"grep"}  meta={"agent":"planner"}
 * </pre>
 *
 * that is seq, UTC time of day, type, then the id, data and meta when present; a date line comes
 * first and whenever the date changes. Not thread-safe.
 */
final class EventPrinter {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

  private final PrintWriter out;
  private final boolean pretty;
  private LocalDate lastDate;

  EventPrinter(PrintWriter out, boolean pretty) {
    this.out = out;
    this.pretty = pretty;
  }

  void print(List<Event> events) {
    events.forEach(this::print);
  }

  void print(Event event) {
    if (pretty) {
      printDateIfChanged(event);
      out.print(prettyLine(event));
    } else {
      out.print(event.line());
    }
    out.print('\n');
  }

  /** Flushes, and tells whether the reader went away (a closed pipe): then stop printing. */
  boolean outputClosed() {
    return out.checkError();
  }

  private void printDateIfChanged(Event event) {
    LocalDate date = LocalDate.ofInstant(event.ts(), ZoneOffset.UTC);
    if (!date.equals(lastDate)) {
      out.print("-- " + date + " (UTC) --\n");
      lastDate = date;
    }
  }

  static String prettyLine(Event event) {
    StringBuilder line = new StringBuilder(64 + event.line().length());
    line.append('#').append(event.seq());
    line.append("  ").append(TIME.format(event.ts()));
    line.append("  ").append(event.type());
    if (event.id() != null) {
      line.append("  id=").append(event.id());
    }
    if (event.data() != null) {
      line.append("  ").append(event.data());
    }
    if (event.meta() != null) {
      line.append("  meta=").append(event.meta());
    }
    return line.toString();
  }
}
