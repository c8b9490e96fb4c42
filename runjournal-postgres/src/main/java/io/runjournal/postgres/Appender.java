package io.runjournal.postgres;

import io.runjournal.AppendRequest;
import io.runjournal.AppendResult;
import io.runjournal.internal.json.EventCodec;
import io.runjournal.internal.json.MalformedLineException;
import io.runjournal.internal.json.PreparedEvent;
import io.runjournal.internal.store.AppendDecision;
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
 * The append transaction (DESIGN §4, §10), for a group of requests to one run ({@link
 * GroupCommit}). Under the run's row lock (READ COMMITTED, {@code select … for update}): the heads
 * of the group's branches and the events the run holds under the group's ids are read, each request
 * is planned in order exactly as the file store plans a batch ({@link GroupPlan}, {@link
 * BatchPlan}), and the accepted requests' events, their branches' heads, the run's row and one
 * {@code NOTIFY} are written with one statement. Each request is all or nothing: a refused request
 * writes nothing and gets its own refusal, and a failure of the transaction fails every request of
 * the group. Thread-safe.
 */
final class Appender {

  /** Everything a group writes after its events are planned, as one statement. */
  private static final String WRITE =
      "with inserted as ("
          + EventRows.INSERT
          + "), head as (insert into branches (run, branch, head)"
          + " select ?, h.branch, h.head from unnest(?::text[], ?::bigint[]) as h(branch, head)"
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

  /**
   * One append request of a group.
   *
   * @param request the request, for its branch and expected seq
   * @param events its events, validated
   */
  record Request(AppendRequest request, List<PreparedEvent> events) {}

  /**
   * What one request of a group got: what it appended, or the exception it fails with.
   *
   * @param appended what it appended, or null
   * @param failure the refusal or failure, or null
   */
  record Outcome(Appended appended, RuntimeException failure) {
    static Outcome of(Appended appended) {
      return new Outcome(appended, null);
    }

    static Outcome refused(RuntimeException failure) {
      return new Outcome(null, failure);
    }

    /** What was appended, or throws the failure. */
    Appended get() {
      if (failure != null) {
        throw failure;
      }
      return appended;
    }
  }

  Appender(Database database, Clock clock, int maxEventBytes) {
    this.database = database;
    this.clock = clock;
    this.maxEventBytes = maxEventBytes;
  }

  /**
   * Appends a group of validated requests to {@code run} in one transaction, planned in order.
   *
   * @return each request's outcome, in order: refusals of {@link BatchPlan#of} and {@link
   *     io.runjournal.EventTooLargeException} are outcomes
   * @throws io.runjournal.RunJournalException a {@link io.runjournal.StorageException} (or {@link
   *     io.runjournal.JournalClosedException}) if the transaction failed: nothing was written
   */
  List<Outcome> append(String run, List<Request> group) {
    return database.transaction(
        run, "appending to", connection -> appendLocked(connection, run, group));
  }

  private List<Outcome> appendLocked(Connection connection, String run, List<Request> group)
      throws SQLException {
    String firstBranch = group.getFirst().request().branch();
    RunRow row = RunRow.lockOrCreate(connection, run, firstBranch);
    long now = clock.millis();
    long ts = row.lastTs() == null ? now : Math.max(now, row.lastTs());
    GroupPlan plan =
        new GroupPlan(
            run,
            row,
            heads(connection, run, row, group),
            priors(connection, run, group),
            ts,
            maxEventBytes);
    for (Request request : group) {
      plan.add(request);
    }
    if (plan.fresh() > 0) {
      write(connection, run, plan);
    } else if (row.created()) {
      connection.rollback(); // every request was refused: leave no run behind
    }
    return plan.outcomes();
  }

  private static void write(Connection connection, String run, GroupPlan plan) throws SQLException {
    try (PreparedStatement write = connection.prepareStatement(WRITE)) {
      int at = plan.rows().bind(write, 1, run);
      write.setString(at++, run);
      write.setArray(
          at++, connection.createArrayOf("text", plan.changedHeads().keySet().toArray()));
      write.setArray(
          at++, connection.createArrayOf("bigint", plan.changedHeads().values().toArray()));
      write.setLong(at++, plan.ts());
      write.setLong(at++, plan.ts());
      write.setString(at++, plan.terminalType());
      write.setBoolean(at++, plan.terminalType() == null); // fresh events: it was open
      write.setLong(at++, plan.bytes());
      write.setLong(at++, plan.fresh());
      write.setString(at++, run);
      write.setString(at, run);
      write.executeQuery().close();
    }
  }

  /**
   * The heads of the group's branches that have events; the first branch's came with the row. Read
   * after the lock is held, so they are current (see {@link RunRow}).
   */
  private static Map<String, Long> heads(
      Connection connection, String run, RunRow row, List<Request> group) throws SQLException {
    String firstBranch = group.getFirst().request().branch();
    Set<String> others = new LinkedHashSet<>();
    for (Request request : group) {
      if (!request.request().branch().equals(firstBranch)) {
        others.add(request.request().branch());
      }
    }
    Map<String, Long> heads = new HashMap<>();
    heads.put(firstBranch, row.head());
    if (others.isEmpty()) {
      return heads;
    }
    try (PreparedStatement select =
        connection.prepareStatement(
            "select branch, head from branches where run = ? and branch = any(?)")) {
      select.setString(1, run);
      select.setArray(2, connection.createArrayOf("text", others.toArray()));
      try (ResultSet found = select.executeQuery()) {
        while (found.next()) {
          heads.put(found.getString(1), found.getLong(2));
        }
      }
    }
    return heads;
  }

  /** The events the run holds under the ids of the group, by id. */
  private static Map<String, AppendDecision.PriorId> priors(
      Connection connection, String run, List<Request> group) throws SQLException {
    Set<String> ids = new LinkedHashSet<>();
    for (Request request : group) {
      for (PreparedEvent event : request.events()) {
        if (event.id() != null) {
          ids.add(event.id());
        }
      }
    }
    if (ids.isEmpty()) {
      return Map.of();
    }
    Map<String, AppendDecision.PriorId> priors = new HashMap<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "select id, branch, seq, line from events where run = ? and id = any(?)")) {
      select.setString(1, run);
      select.setArray(2, connection.createArrayOf("text", new ArrayList<>(ids).toArray()));
      try (ResultSet found = select.executeQuery()) {
        while (found.next()) {
          priors.put(
              found.getString(1),
              new AppendDecision.PriorId(
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
