package io.runjournal.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows for the {@code events} table, collected column by column and inserted with one statement
 * ({@code insert … select … from unnest(arrays)}): a batch costs one round trip however many events
 * it holds. Not thread-safe; one per batch.
 */
final class EventRows {
  /**
   * The insert, with 10 parameters from the first: the run, then one array per column (see {@link
   * #bind}).
   */
  static final String INSERT =
      "insert into events (run, branch, seq, line_no, ts, type, id, data, meta, line)"
          + " select ?, u.branch, u.seq, u.line_no,"
          + " timestamptz 'epoch' + u.ts_ms * interval '1 millisecond',"
          + " u.type, u.id, u.data::jsonb, u.meta::jsonb, u.line"
          + " from unnest(?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::text[], ?::text[],"
          + " ?::text[], ?::text[], ?::text[])"
          + " as u(branch, seq, line_no, ts_ms, type, id, data, meta, line)";

  private final List<String> branches = new ArrayList<>();
  private final List<Long> seqs = new ArrayList<>();
  private final List<Long> lineNos = new ArrayList<>();
  private final List<Long> tsMillis = new ArrayList<>();
  private final List<String> types = new ArrayList<>();
  private final List<String> ids = new ArrayList<>();
  private final List<String> data = new ArrayList<>();
  private final List<String> meta = new ArrayList<>();
  private final List<String> lines = new ArrayList<>();

  /**
   * Adds one event. {@code data} and {@code meta} are the canonical JSON of the line; where {@code
   * jsonb} cannot hold them their column stays null (see {@link JsonbValues}).
   */
  void add(
      String branch,
      long seq,
      long lineNo,
      long ts,
      String type,
      String id,
      String dataJson,
      String metaJson,
      String line) {
    branches.add(branch);
    seqs.add(seq);
    lineNos.add(lineNo);
    tsMillis.add(ts);
    types.add(type);
    ids.add(id);
    data.add(JsonbValues.storable(dataJson));
    meta.add(JsonbValues.storable(metaJson));
    lines.add(line);
  }

  /** How many rows. */
  int size() {
    return lines.size();
  }

  /** Forgets the rows after the first {@code size}: those of a refused batch. */
  void truncate(int size) {
    for (List<?> column :
        List.of(branches, seqs, lineNos, tsMillis, types, ids, data, meta, lines)) {
      column.subList(size, column.size()).clear();
    }
  }

  /** Forgets the rows, for the next chunk. */
  void clear() {
    for (List<?> column :
        List.of(branches, seqs, lineNos, tsMillis, types, ids, data, meta, lines)) {
      column.clear();
    }
  }

  /**
   * Binds the run and the rows to the 10 parameters of {@link #INSERT} starting at {@code index}.
   *
   * @return the index of the next parameter
   */
  int bind(PreparedStatement statement, int index, String run) throws SQLException {
    Connection connection = statement.getConnection();
    int at = index;
    statement.setString(at++, run);
    statement.setArray(at++, connection.createArrayOf("text", branches.toArray()));
    statement.setArray(at++, connection.createArrayOf("bigint", seqs.toArray()));
    statement.setArray(at++, connection.createArrayOf("bigint", lineNos.toArray()));
    statement.setArray(at++, connection.createArrayOf("bigint", tsMillis.toArray()));
    statement.setArray(at++, connection.createArrayOf("text", types.toArray()));
    statement.setArray(at++, connection.createArrayOf("text", ids.toArray()));
    statement.setArray(at++, connection.createArrayOf("text", data.toArray()));
    statement.setArray(at++, connection.createArrayOf("text", meta.toArray()));
    statement.setArray(at++, connection.createArrayOf("text", lines.toArray()));
    return at;
  }

  /** Inserts the rows of {@code run} with one statement. */
  void insert(Connection connection, String run) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
      bind(statement, 1, run);
      statement.executeUpdate();
    }
  }
}
