package io.runjournal.postgres;

import io.runjournal.MalformedEventException;
import io.runjournal.ReadQuery;
import io.runjournal.ReadResult;
import io.runjournal.internal.json.EventCodec;
import io.runjournal.internal.json.MalformedLineException;
import io.runjournal.internal.live.CursorSubscription;
import io.runjournal.model.Event;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads of one branch: ascending (reads and subscriptions) and descending. The branch's head and
 * the run's end are read first, then the events up to that head: whatever commits in between is not
 * seen, so a read is consistent without a snapshot transaction (events up to a head are committed
 * before the head is). Events are served from their stored lines, parsed but never re-encoded.
 * Thread-safe.
 */
final class EventReader {
  private static final String HEAD =
      "select coalesce((select head from branches where run = ? and branch = ?), 0),"
          + " (select ended_by from runs where run = ?)";

  private final Database database;
  private final MalformedLines malformed;

  EventReader(Database database, MalformedLines malformed) {
    this.database = database;
    this.malformed = malformed;
  }

  /**
   * An ascending read.
   *
   * @param events the matching events
   * @param head the branch's head when the read started
   * @param through the last seq of the branch examined (delivered or filtered out)
   * @param ended whether the run had ended when the read started
   * @param more whether the limit stopped the read before the head
   */
  record Ascending(List<Event> events, long head, long through, boolean ended, boolean more) {}

  /** Reads {@code query} of {@code run}; see {@link io.runjournal.Journal#read}. */
  ReadResult read(String run, ReadQuery query) {
    if (query.descending()) {
      return database.read(run, "reading", connection -> descending(connection, run, query));
    }
    Ascending read = ascending(run, query);
    Long next = read.more() ? read.events().getLast().seq() : null;
    return new ReadResult(run, query.branch(), read.events(), read.head(), next);
  }

  /** The events after {@code afterSeq} for a subscription, with how far the cursor may move. */
  CursorSubscription.Batch batch(
      String run, String branch, long afterSeq, int limit, Set<String> types) {
    ReadQuery query = new ReadQuery(branch, afterSeq, Long.MAX_VALUE, limit, types, false, false);
    Ascending read = ascending(run, query);
    return new CursorSubscription.Batch(read.events(), read.head(), read.through(), read.ended());
  }

  private Ascending ascending(String run, ReadQuery query) {
    return database.read(run, "reading", connection -> ascending(connection, run, query));
  }

  private Ascending ascending(Connection connection, String run, ReadQuery query)
      throws SQLException {
    long[] headAndEnded = head(connection, run, query.branch());
    long head = headAndEnded[0];
    boolean ended = headAndEnded[1] != 0;
    long upTo = Math.min(head, query.beforeSeq() - 1);
    if (upTo <= query.afterSeq()) {
      return new Ascending(List.of(), head, Math.max(query.afterSeq(), upTo), ended, false);
    }
    String sql =
        "select line_no, seq, line from events where run = ? and branch = ? and seq > ?"
            + " and seq <= ?"
            + (query.types().isEmpty() ? "" : " and type = any(?)")
            + " order by seq limit ?";
    List<Event> events = new ArrayList<>(Math.min(query.limit(), 256));
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      int at = bindRange(select, run, query, query.afterSeq(), upTo);
      select.setInt(at, query.limit());
      try (ResultSet rows = select.executeQuery()) {
        long expected = query.afterSeq() + 1;
        while (rows.next()) {
          if (query.strict() && query.types().isEmpty() && rows.getLong(2) != expected) {
            throw gap(run, query.branch(), rows.getLong(1), rows.getLong(2), expected);
          }
          expected = rows.getLong(2) + 1;
          addEvent(events, run, query, rows);
        }
      }
    }
    boolean more = events.size() == query.limit() && events.getLast().seq() < upTo;
    long through = more ? events.getLast().seq() : upTo;
    return new Ascending(events, head, through, ended, more);
  }

  private ReadResult descending(Connection connection, String run, ReadQuery query)
      throws SQLException {
    long head = head(connection, run, query.branch())[0];
    long below = Math.min(query.beforeSeq(), head + 1); // seqs below this
    List<Event> events = new ArrayList<>(Math.min(query.limit(), 256));
    if (below - 1 > query.afterSeq()) {
      String sql =
          "select line_no, seq, line from events where run = ? and branch = ? and seq > ?"
              + " and seq < ?"
              + (query.types().isEmpty() ? "" : " and type = any(?)")
              + " order by seq desc limit ?";
      try (PreparedStatement select = connection.prepareStatement(sql)) {
        int at = bindRange(select, run, query, query.afterSeq(), below);
        select.setInt(at, query.limit());
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            addEvent(events, run, query, rows);
          }
        }
      }
    }
    // A full page: older events may match (the next page may also be empty), as the file store.
    boolean more = events.size() == query.limit() && events.getLast().seq() > query.afterSeq() + 1;
    Long next = more ? events.getLast().seq() : null;
    return new ReadResult(run, query.branch(), events, head, next);
  }

  /** Binds run, branch, the bounds and the type filter; returns the next parameter's index. */
  private static int bindRange(
      PreparedStatement select, String run, ReadQuery query, long from, long to)
      throws SQLException {
    int at = 1;
    select.setString(at++, run);
    select.setString(at++, query.branch());
    select.setLong(at++, from);
    select.setLong(at++, to);
    if (!query.types().isEmpty()) {
      select.setArray(at++, select.getConnection().createArrayOf("text", query.types().toArray()));
    }
    return at;
  }

  /** The branch's head and whether the run has ended (1) or not (0). */
  private static long[] head(Connection connection, String run, String branch) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(HEAD)) {
      select.setString(1, run);
      select.setString(2, branch);
      select.setString(3, run);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        return new long[] {row.getLong(1), row.getString(2) != null ? 1 : 0};
      }
    }
  }

  /** Parses the row's line into {@code events}, or skips (tolerant) or fails (strict) on it. */
  private void addEvent(List<Event> events, String run, ReadQuery query, ResultSet rows)
      throws SQLException {
    long lineNo = rows.getLong(1);
    long seq = rows.getLong(2);
    try {
      Event event = parse(run, rows.getString(3), query.strict());
      if (event.seq() != seq || !event.branch().equals(query.branch())) {
        throw new MalformedLineException(
            "the line says seq "
                + event.seq()
                + " on branch \""
                + event.branch()
                + "\", its row seq "
                + seq
                + " on branch \""
                + query.branch()
                + "\"");
      }
      events.add(event);
    } catch (MalformedLineException e) {
      if (query.strict()) {
        throw new MalformedEventException(database.location(run), lineNo, e.getMessage());
      }
      malformed.report(database.location(run), lineNo, e.getMessage());
    }
  }

  private MalformedEventException gap(
      String run, String branch, long lineNo, long seq, long expected) {
    return new MalformedEventException(
        database.location(run),
        lineNo,
        "seq "
            + seq
            + " on branch \""
            + branch
            + "\" follows a gap: seqs "
            + expected
            + ".."
            + (seq - 1)
            + " are missing");
  }

  /** Parses a stored line: the canonical fast path, or the full parser when strict. */
  static Event parse(String run, String line, boolean strict) throws MalformedLineException {
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    return strict
        ? EventCodec.parseAnyLine(bytes, 0, bytes.length, run)
        : EventCodec.parseLine(bytes, 0, bytes.length, run);
  }
}
