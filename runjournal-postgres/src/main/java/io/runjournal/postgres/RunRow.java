package io.runjournal.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A run's row in {@code runs}, read and locked {@code for update} inside a transaction: the lock
 * that serialises appends, imports, archiving and deleting of one run across every node, held until
 * the transaction ends. Immutable.
 *
 * @param created whether this transaction inserted the row
 * @param lastTs the last event's ts in epoch milliseconds, or null before the first event
 * @param endedBy the terminal event's type, or null while the run is open
 * @param active whether the run is marked active
 * @param archived whether the run is archived
 * @param bytes the size of the run's journal (lines and newlines)
 * @param lines how many events the run has (the last line_no)
 * @param head the head of the branch asked for, 0 if it has no events
 */
record RunRow(
    boolean created,
    Long lastTs,
    String endedBy,
    boolean active,
    boolean archived,
    long bytes,
    long lines,
    long head) {

  private static final String SELECT_FOR_UPDATE =
      "select last_ts, ended_by, active, archived, bytes, lines from runs where run = ? for update";

  /**
   * The head, read by its own statement after the lock is held: a statement started after the lock
   * sees every commit before it. (Joined into the locking statement, the branch row would come from
   * that statement's snapshot, taken before it waited for the lock: a stale head.)
   */
  private static final String SELECT_HEAD =
      "select head from branches where run = ? and branch = ?";

  private static final int MAX_TRIES = 10;

  /**
   * Locks the row of {@code run}, inserting it first if it does not exist yet; {@code branch}'s
   * head is read with it.
   */
  static RunRow lockOrCreate(Connection connection, String run, String branch) throws SQLException {
    for (int i = 0; i < MAX_TRIES; i++) {
      RunRow row = lock(connection, run, branch, false);
      if (row != null) {
        return row;
      }
      boolean inserted;
      try (PreparedStatement insert =
          connection.prepareStatement(
              "insert into runs (run) values (?) on conflict (run) do nothing")) {
        insert.setString(1, run);
        inserted = insert.executeUpdate() == 1;
      }
      row = lock(connection, run, branch, inserted);
      if (row != null) {
        return row;
      }
      // Deleted by another transaction between the insert and the lock: try again.
    }
    throw new SQLException("run " + run + " was deleted " + MAX_TRIES + " times while locking it");
  }

  /** Locks the row of {@code run} if it exists, else answers null. */
  static RunRow lockExisting(Connection connection, String run, String branch) throws SQLException {
    return lock(connection, run, branch, false);
  }

  private static RunRow lock(Connection connection, String run, String branch, boolean created)
      throws SQLException {
    RunRow locked;
    try (PreparedStatement select = connection.prepareStatement(SELECT_FOR_UPDATE)) {
      select.setString(1, run);
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          return null;
        }
        long lastTs = row.getLong(1);
        Long last = row.wasNull() ? null : lastTs;
        locked =
            new RunRow(
                created,
                last,
                row.getString(2),
                row.getBoolean(3),
                row.getBoolean(4),
                row.getLong(5),
                row.getLong(6),
                0);
      }
    }
    try (PreparedStatement select = connection.prepareStatement(SELECT_HEAD)) {
      select.setString(1, run);
      select.setString(2, branch);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? locked.withHead(row.getLong(1)) : locked;
      }
    }
  }

  private RunRow withHead(long branchHead) {
    return new RunRow(created, lastTs, endedBy, active, archived, bytes, lines, branchHead);
  }

  /** Whether the run has ended (a terminal event) and is not marked active. */
  boolean finished() {
    return endedBy != null && !active;
  }
}
