package io.runjournal.postgres;

import io.runjournal.ImportResult;
import io.runjournal.RunExistsException;
import io.runjournal.internal.store.ImportPlan;
import io.runjournal.model.Event;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Imports with the file store's semantics (see {@link io.runjournal.Journal#importEvents}): the
 * events are checked by core's {@link ImportPlan} before any SQL; then, under the run's row lock,
 * they are written into a run without events (in chunks of {@value #CHUNK} rows per statement, one
 * transaction), or compared with the lines of a run that has events. Thread-safe.
 */
final class Importer {
  private static final int CHUNK = 1000;

  private static final String FINISH =
      "with head as (insert into branches (run, branch, head)"
          + " select ?, u.branch, u.head from unnest(?::text[], ?::bigint[]) as u(branch, head)"
          + " on conflict (run, branch) do update set head = excluded.head"
          + "), updated as (update runs set last_ts = ?,"
          + " last_event_at = timestamptz 'epoch' + ? * interval '1 millisecond',"
          + " ended_by = ?, active = ?, bytes = ?, lines = ? where run = ?"
          + ") select pg_notify('"
          + Database.CHANNEL
          + "', ?)";

  private final Database database;
  private final int maxEventBytes;

  Importer(Database database, int maxEventBytes) {
    this.database = database;
    this.maxEventBytes = maxEventBytes;
  }

  /**
   * Imports {@code events} into {@code run}.
   *
   * @throws io.runjournal.InvalidEventException naming the first offending event
   * @throws io.runjournal.EventTooLargeException if a line is over the size limit
   * @throws RunExistsException if the run holds other events
   */
  ImportResult importEvents(String run, List<Event> events) {
    ImportPlan plan = ImportPlan.of(run, events, maxEventBytes);
    boolean created =
        database.transaction(
            run, "importing into", connection -> importLocked(connection, run, plan));
    return new ImportResult(run, created, plan.events(), plan.bytes(), plan.heads());
  }

  private static boolean importLocked(Connection connection, String run, ImportPlan plan)
      throws SQLException {
    RunRow row = RunRow.lockOrCreate(connection, run, "main");
    if (plan.events() == 0) {
      if (row.lines() > 0) {
        throw new RunExistsException(
            run, 1, "its journal has lines (" + row.bytes() + " bytes), the import none");
      }
      return row.created();
    }
    if (row.lines() > 0) {
      requireSameLines(connection, run, plan, row.bytes());
      return false;
    }
    EventRows rows = new EventRows();
    for (int i = 0; i < plan.events(); i++) {
      Event event = plan.event(i);
      rows.add(
          event.branch(),
          event.seq(),
          i + 1,
          event.tsMillis(),
          event.type(),
          event.id(),
          event.data(),
          event.meta(),
          event.line());
      if (rows.size() == CHUNK || i == plan.events() - 1) {
        rows.insert(connection, run);
        rows.clear();
      }
    }
    finish(connection, run, plan);
    return true;
  }

  /** Branch heads, the run's row and the notification, after the rows are in. */
  private static void finish(Connection connection, String run, ImportPlan plan)
      throws SQLException {
    Event last = plan.event(plan.events() - 1);
    Map<String, Long> heads = plan.heads();
    try (PreparedStatement finish = connection.prepareStatement(FINISH)) {
      int at = 1;
      finish.setString(at++, run);
      finish.setArray(at++, connection.createArrayOf("text", heads.keySet().toArray()));
      finish.setArray(at++, connection.createArrayOf("bigint", heads.values().toArray()));
      finish.setLong(at++, last.tsMillis());
      finish.setLong(at++, last.tsMillis());
      finish.setString(at++, plan.ends() ? last.type() : null);
      finish.setBoolean(at++, !plan.ends());
      finish.setLong(at++, plan.bytes());
      finish.setLong(at++, plan.events());
      finish.setString(at++, run);
      finish.setString(at, run);
      finish.executeQuery().close();
    }
  }

  /**
   * Checks that the run's journal holds exactly the plan's lines.
   *
   * @throws RunExistsException naming the first line that differs, as the file store does
   */
  private static void requireSameLines(
      Connection connection, String run, ImportPlan plan, long storedBytes) throws SQLException {
    int count = plan.events();
    try (PreparedStatement select =
        connection.prepareStatement(
            "select line from events where run = ? order by line_no limit ?")) {
      select.setFetchSize(CHUNK);
      select.setString(1, run);
      select.setLong(2, count + 1L);
      try (ResultSet rows = select.executeQuery()) {
        for (int index = 0; index < count; index++) {
          if (!rows.next()) {
            throw new RunExistsException(
                run,
                index + 1,
                "its journal holds the first "
                    + index
                    + " of the "
                    + count
                    + " events imported and no more (an interrupted import? delete the run to"
                    + " retry)");
          }
          if (!rows.getString(1).equals(plan.event(index).line())) {
            throw new RunExistsException(
                run,
                index + 1,
                "line " + (index + 1) + " of its journal differs from event " + (index + 1));
          }
        }
        if (rows.next()) {
          throw new RunExistsException(
              run,
              count + 1L,
              "its journal has more than the "
                  + count
                  + " events imported ("
                  + storedBytes
                  + " bytes, the import "
                  + plan.bytes()
                  + ")");
        }
      }
    }
  }
}
