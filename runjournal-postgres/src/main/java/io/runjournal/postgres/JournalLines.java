package io.runjournal.postgres;

import io.runjournal.VerifyReport;
import io.runjournal.internal.json.MalformedLineException;
import io.runjournal.model.Event;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A run's journal in its line order over every branch ({@code line_no}, the order of appends), for
 * exports, verify and the last event. Lines are fetched in pages, each on a pooled connection that
 * is returned before the caller's action runs, so a slow consumer (an export streaming to a client)
 * holds no connection. The end is taken when the call starts: later appends are not seen.
 * Thread-safe.
 */
final class JournalLines {
  private static final int PAGE = 1000;

  private final Database database;
  private final MalformedLines malformed;

  JournalLines(Database database, MalformedLines malformed) {
    this.database = database;
    this.malformed = malformed;
  }

  /**
   * One stored line.
   *
   * @param lineNo its 1-based position in the run's journal
   * @param branch its row's branch
   * @param seq its row's seq
   * @param line the canonical line, without newline
   */
  private record Row(long lineNo, String branch, long seq, String line) {}

  /** See {@link io.runjournal.Journal#forEachEvent}. */
  long forEachEvent(String run, long maxEvents, Consumer<? super Event> action) {
    Map<String, Long> heads = new HashMap<>();
    long[] delivered = {0};
    scan(
        run,
        maxEvents,
        row -> {
          Event event;
          try {
            event = EventReader.parse(run, row.line(), false);
          } catch (MalformedLineException e) {
            malformed.report(database.location(run), row.lineNo(), e.getMessage());
            return true;
          }
          long head = heads.getOrDefault(event.branch(), 0L);
          if (event.seq() <= head) {
            malformed.report(
                database.location(run),
                row.lineNo(),
                outOfSequence(event.seq(), head + 1, event.branch()));
            return true;
          }
          heads.put(event.branch(), event.seq());
          action.accept(event);
          return ++delivered[0] < maxEvents;
        });
    return delivered[0];
  }

  /** See {@link io.runjournal.Journal#copyJournal}. */
  long copy(String run, long maxLines, OutputStream out) throws IOException {
    long[] bytes = {0};
    long[] lines = {0};
    try {
      scan(
          run,
          maxLines,
          row -> {
            byte[] line = (row.line() + "\n").getBytes(StandardCharsets.UTF_8);
            try {
              out.write(line);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
            bytes[0] += line.length;
            return ++lines[0] < maxLines;
          });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return bytes[0];
  }

  /** The run's last event, if its line is readable. */
  Optional<Event> lastEvent(String run) {
    String line =
        database.read(
            run,
            "reading the end of",
            connection -> {
              try (PreparedStatement select =
                  connection.prepareStatement(
                      "select line from events where run = ? order by line_no desc limit 1")) {
                select.setString(1, run);
                try (ResultSet row = select.executeQuery()) {
                  return row.next() ? row.getString(1) : null;
                }
              }
            });
    if (line == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(EventReader.parse(run, line, /* strict= */ true));
    } catch (MalformedLineException e) {
      return Optional.empty();
    }
  }

  /**
   * Checks every line strictly: it parses, matches its row, and its seq is the next of its branch.
   */
  VerifyReport verify(String run) {
    List<VerifyReport.Problem> problems = new ArrayList<>();
    Map<String, Long> heads = new HashMap<>();
    long[] counts = {0, 0}; // lines, valid events
    scan(
        run,
        Long.MAX_VALUE,
        row -> {
          counts[0]++;
          String problem = problem(run, row, heads);
          if (problem != null) {
            problems.add(new VerifyReport.Problem(row.lineNo(), problem));
          } else {
            counts[1]++;
          }
          return true;
        });
    return new VerifyReport(database.location(run), counts[0], counts[1], problems, 0);
  }

  private static String problem(String run, Row row, Map<String, Long> heads) {
    Event event;
    try {
      event = EventReader.parse(run, row.line(), /* strict= */ true);
    } catch (MalformedLineException e) {
      return e.getMessage();
    }
    if (event.seq() != row.seq() || !event.branch().equals(row.branch())) {
      return "the line says seq "
          + event.seq()
          + " on branch \""
          + event.branch()
          + "\", its row seq "
          + row.seq()
          + " on branch \""
          + row.branch()
          + "\"";
    }
    long expected = heads.getOrDefault(event.branch(), 0L) + 1;
    if (event.seq() != expected) {
      return outOfSequence(event.seq(), expected, event.branch());
    }
    heads.put(event.branch(), event.seq());
    return null;
  }

  private static String outOfSequence(long seq, long expected, String branch) {
    return "seq " + seq + " out of order on branch \"" + branch + "\": expected " + expected;
  }

  /** Called with each row in line order; returns false to stop. */
  private interface RowHandler {
    boolean row(Row row);
  }

  /**
   * Gives {@code handler} the run's rows in line order, up to the journal's end when the call
   * starts, until it returns false; {@code maxRows} is how many it expects to take at most.
   */
  private void scan(String run, long maxRows, RowHandler handler) {
    if (maxRows <= 0) {
      return;
    }
    long end = database.read(run, "reading", connection -> lines(connection, run));
    long after = 0;
    long given = 0;
    while (after < end) {
      // The handler decides when to stop (skipped lines do not count): the limit only sizes pages.
      List<Row> page = page(run, after, end, (int) Math.min(PAGE, Math.max(1, maxRows - given)));
      if (page.isEmpty()) {
        return; // deleted meanwhile
      }
      for (Row row : page) {
        given++;
        if (!handler.row(row)) {
          return;
        }
      }
      after = page.getLast().lineNo();
    }
  }

  private static long lines(Connection connection, String run) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement("select lines from runs where run = ?")) {
      select.setString(1, run);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? row.getLong(1) : 0;
      }
    }
  }

  private List<Row> page(String run, long after, long end, int limit) {
    return database.read(
        run,
        "reading",
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement(
                  "select line_no, branch, seq, line from events where run = ? and line_no > ?"
                      + " and line_no <= ? order by line_no limit ?")) {
            select.setString(1, run);
            select.setLong(2, after);
            select.setLong(3, end);
            select.setInt(4, limit);
            List<Row> rows = new ArrayList<>(limit);
            try (ResultSet result = select.executeQuery()) {
              while (result.next()) {
                rows.add(
                    new Row(
                        result.getLong(1),
                        result.getString(2),
                        result.getLong(3),
                        result.getString(4)));
              }
            }
            return rows;
          }
        });
  }
}
