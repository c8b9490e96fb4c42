package io.runjournal.postgres;

import io.runjournal.ArchiveReport;
import io.runjournal.RunActiveException;
import io.runjournal.RunInfo;
import io.runjournal.RunNotFoundException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the {@code runs} and {@code branches} tables say about runs: existence, listings, heads,
 * sizes, the active flag, archiving and deleting. Listings sort by {@code collate "C"}, which for
 * the ASCII run ids is Java's string order (what the file store answers), whatever the database's
 * collation. Thread-safe.
 */
final class RunCatalog {
  private final Database database;

  RunCatalog(Database database) {
    this.database = database;
  }

  boolean exists(String run) {
    return database.query(run, "reading", "select 1 from runs where run = ?", ResultSet::next, run);
  }

  boolean create(String run) {
    return database.update(
            run, "creating", "insert into runs (run) values (?) on conflict (run) do nothing", run)
        == 1;
  }

  List<String> listRuns() {
    return names("select run from runs order by run collate \"C\"");
  }

  List<String> activeRuns() {
    return names("select run from runs where active order by run collate \"C\"");
  }

  private List<String> names(String sql) {
    return database.read(
        null,
        "listing the runs of",
        connection -> {
          List<String> runs = new ArrayList<>();
          try (PreparedStatement select = connection.prepareStatement(sql);
              ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
              runs.add(rows.getString(1));
            }
          }
          return runs;
        });
  }

  long head(String run, String branch) {
    return database.query(
        run,
        "reading",
        "select head from branches where run = ? and branch = ?",
        rows -> rows.next() ? rows.getLong(1) : 0L,
        run,
        branch);
  }

  /** Heads, end, last event time and size, read in one statement (a consistent view). */
  RunInfo info(String run) {
    return database.read(
        run,
        "reading",
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement(
                  "select r.ended_by, r.last_ts, r.bytes, b.branch, b.head from runs r"
                      + " left join branches b on b.run = r.run and b.head > 0"
                      + " where r.run = ?")) {
            select.setString(1, run);
            Map<String, Long> heads = new TreeMap<>();
            String endedBy = null;
            Instant lastEventAt = null;
            long bytes = 0;
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                endedBy = rows.getString(1);
                long lastTs = rows.getLong(2);
                lastEventAt = rows.wasNull() ? null : Instant.ofEpochMilli(lastTs);
                bytes = rows.getLong(3);
                if (rows.getString(4) != null) {
                  heads.put(rows.getString(4), rows.getLong(5));
                }
              }
            }
            return new RunInfo(run, heads, endedBy, lastEventAt, 0, bytes);
          }
        });
  }

  long size(String run) {
    return database.query(
        run,
        "reading the size of",
        "select bytes from runs where run = ?",
        rows -> rows.next() ? rows.getLong(1) : 0L,
        run);
  }

  /** Clears the active flag of a run that has ended or has no events; true if it was set. */
  boolean releaseActive(String run) {
    return database.update(
            run,
            "releasing the active flag of",
            "update runs set active = false"
                + " where run = ? and active and (ended_by is not null or lines = 0)",
            run)
        == 1;
  }

  boolean isFinished(String run) {
    return flag(run, "ended_by is not null and not active");
  }

  boolean isArchived(String run) {
    return flag(run, "archived");
  }

  private boolean flag(String run, String condition) {
    return database.query(
        run,
        "reading",
        "select " + condition + " from runs where run = ?",
        rows -> rows.next() && rows.getBoolean(1),
        run);
  }

  /**
   * Flags a finished run archived. Nothing is compressed: the report's archive size is the
   * journal's.
   */
  ArchiveReport archive(String run) {
    return database.transaction(
        run,
        "archiving",
        connection -> {
          RunRow row = lockFinished(connection, run, "archive");
          if (row.archived()) {
            return new ArchiveReport(run, database.location(run), row.bytes(), row.bytes(), true);
          }
          try (PreparedStatement update =
              connection.prepareStatement("update runs set archived = true where run = ?")) {
            update.setString(1, run);
            update.executeUpdate();
          }
          return new ArchiveReport(run, database.location(run), row.bytes(), row.bytes(), false);
        });
  }

  /** Deletes a finished run's rows; false if it does not exist. */
  boolean delete(String run) {
    try {
      return database.transaction(
          run,
          "deleting",
          connection -> {
            lockFinished(connection, run, "delete");
            for (String table : new String[] {"events", "branches", "runs"}) {
              try (PreparedStatement delete =
                  connection.prepareStatement("delete from " + table + " where run = ?")) {
                delete.setString(1, run);
                delete.executeUpdate();
              }
            }
            try (PreparedStatement notify =
                connection.prepareStatement("select pg_notify('" + Database.CHANNEL + "', ?)")) {
              notify.setString(1, run);
              notify.executeQuery().close();
            }
            return true;
          });
    } catch (RunNotFoundException e) {
      return false;
    }
  }

  /** Locks the run's row and refuses a run that has not ended or is marked active. */
  private static RunRow lockFinished(Connection connection, String run, String operation)
      throws SQLException {
    RunRow row = RunRow.lockExisting(connection, run, "main");
    if (row == null) {
      throw new RunNotFoundException(run);
    }
    if (row.endedBy() == null) {
      throw new RunActiveException(
          run,
          operation,
          row.lines() == 0
              ? "it has no events, so it has not ended"
              : "it has not ended (no terminal event)");
    }
    if (row.active()) {
      throw new RunActiveException(run, operation, "it is marked active");
    }
    return row;
  }
}
