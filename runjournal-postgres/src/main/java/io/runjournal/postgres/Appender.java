package io.runjournal.postgres;

import io.runjournal.AppendRequest;
import io.runjournal.AppendResult;
import io.runjournal.internal.json.EventCodec;
import io.runjournal.internal.json.MalformedLineException;
import io.runjournal.internal.json.PreparedEvent;
import io.runjournal.model.Event;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The append transaction (DESIGN §4, §10). Under the run's row lock (READ COMMITTED, {@code select
 * … for update}): the duplicates of the batch's ids are looked up, the batch is planned exactly as
 * the file store plans it ({@link BatchPlan}), the lines are encoded with {@link EventCodec}, and
 * the events, the branch head, the run's row and the {@code NOTIFY} are written with one statement.
 * A batch is all or nothing: every refusal and failure rolls the transaction back. Thread-safe.
 */
final class Appender {

  /** Everything an append writes after the events are planned, as one statement. */
  private static final String WRITE =
      "with inserted as ("
          + EventRows.INSERT
          + "), head as (insert into branches (run, branch, head) values (?, ?, ?)"
          + " on conflict (run, branch) do update set head = excluded.head"
          + "), updated as (update runs set last_ts = ?,"
          + " last_event_at = timestamptz 'epoch' + ? * interval '1 millisecond',"
          + " ended_by = coalesce(ended_by, ?), active = ?, bytes = bytes + ?, lines = lines + ?"
          + " where run = ?"
          + ") select pg_notify('"
          + Database.CHANNEL
          + "', ?)";

  private final Database database;
  private final Clock clock;
  private final int maxEventBytes;

  /**
   * What an append did.
   *
   * @param result the answer
   * @param events how many events it wrote
   * @param bytes the size of their lines, newlines included
   */
  record Appended(AppendResult result, int events, long bytes) {}

  Appender(Database database, Clock clock, int maxEventBytes) {
    this.database = database;
    this.clock = clock;
    this.maxEventBytes = maxEventBytes;
  }

  /**
   * Appends a batch of validated events to {@code branch} of {@code run}.
   *
   * @throws io.runjournal.RunJournalException the refusals of {@link BatchPlan#of}, {@link
   *     io.runjournal.EventTooLargeException}, or a {@link io.runjournal.StorageException}
   */
  Appended append(String run, AppendRequest request, List<PreparedEvent> events) {
    return database.transaction(
        run, "appending to", connection -> appendLocked(connection, run, request, events));
  }

  private Appended appendLocked(
      Connection connection, String run, AppendRequest request, List<PreparedEvent> events)
      throws SQLException {
    String branch = request.branch();
    RunRow row = RunRow.lockOrCreate(connection, run, branch);
    Map<String, BatchPlan.Prior> priors = priors(connection, run, events);
    BatchPlan plan =
        BatchPlan.of(run, branch, request.expectedSeq(), events, row.head(), row.endedBy(), priors);
    if (plan.fresh() == 0) {
      return new Appended(plan.result(), 0, 0);
    }
    long ts = row.lastTs() == null ? clock.millis() : Math.max(clock.millis(), row.lastTs());
    EventRows rows = new EventRows();
    long bytes = plan.encode(ts, row.lines(), maxEventBytes, rows);
    try (PreparedStatement write = connection.prepareStatement(WRITE)) {
      int at = rows.bind(write, 1, run);
      write.setString(at++, run);
      write.setString(at++, branch);
      write.setLong(at++, plan.head());
      write.setLong(at++, ts);
      write.setLong(at++, ts);
      write.setString(at++, plan.terminalType());
      write.setBoolean(at++, plan.terminalType() == null); // fresh events: it was open
      write.setLong(at++, bytes);
      write.setLong(at++, plan.fresh());
      write.setString(at++, run);
      write.setString(at, run);
      write.executeQuery().close();
    }
    return new Appended(plan.result(), plan.fresh(), bytes);
  }

  /** The events the run holds under the ids of the batch, by id. */
  private static Map<String, BatchPlan.Prior> priors(
      Connection connection, String run, List<PreparedEvent> events) throws SQLException {
    Set<String> ids = new LinkedHashSet<>();
    for (PreparedEvent event : events) {
      if (event.id() != null) {
        ids.add(event.id());
      }
    }
    if (ids.isEmpty()) {
      return Map.of();
    }
    Map<String, BatchPlan.Prior> priors = new HashMap<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "select id, branch, seq, line from events where run = ? and id = any(?)")) {
      select.setString(1, run);
      select.setArray(2, connection.createArrayOf("text", new ArrayList<>(ids).toArray()));
      try (ResultSet found = select.executeQuery()) {
        while (found.next()) {
          priors.put(
              found.getString(1),
              new BatchPlan.Prior(
                  found.getString(2), found.getLong(3), contentHash(run, found.getString(4))));
        }
      }
    }
    return priors;
  }

  /** The content hash of a stored event, from its line: the stored text of its data. */
  private static long contentHash(String run, String line) throws SQLException {
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    try {
      Event event = EventCodec.parseLine(bytes, 0, bytes.length, run);
      return EventCodec.contentHash(event.type(), event.data());
    } catch (MalformedLineException e) {
      throw new SQLException("a stored line of run " + run + " is malformed: " + e.getMessage());
    }
  }
}
