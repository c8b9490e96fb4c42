package io.runjournal.postgres;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runjournal.model.Ids;
import io.runjournal.projection.RunProjection;
import io.runjournal.projection.RunProjections;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Projection snapshots of the PostgreSQL store: the projection's JSON (as {@link
 * RunProjection#writeJson(JsonGenerator, boolean)} writes a snapshot) in {@code runs.projection}
 * and the journal size it was folded from in {@code runs.projection_bytes}, written with one {@code
 * update}, so a reader sees the old or the new snapshot. A snapshot is never replaced by one folded
 * from a shorter journal (another node may save a staler fold after a fresher one). A run without a
 * row has nothing to project: saving it does nothing. Thread-safe.
 */
public final class PostgresSnapshots implements RunProjections.Snapshots {
  private static final Logger log = LoggerFactory.getLogger(PostgresSnapshots.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Database database;

  /** Snapshots in the database of {@code journal}, through its connection pool. */
  public PostgresSnapshots(PostgresJournal journal) {
    this.database = journal.database();
  }

  /**
   * {@inheritDoc}
   *
   * @throws io.runjournal.StorageException if the database cannot be read
   */
  @Override
  public Optional<RunProjections.Snapshot> load(String run) {
    Ids.requireRunId(run);
    String[] stored =
        database.read(
            run,
            "reading the projection of",
            connection -> {
              try (PreparedStatement select =
                  connection.prepareStatement(
                      "select projection::text, projection_bytes from runs where run = ?")) {
                select.setString(1, run);
                try (ResultSet row = select.executeQuery()) {
                  return row.next() && row.getString(1) != null && row.getObject(2) != null
                      ? new String[] {row.getString(1), Long.toString(row.getLong(2))}
                      : null;
                }
              }
            });
    if (stored == null) {
      return Optional.empty();
    }
    try {
      JsonNode node = JSON.readTree(stored[0]);
      if (!run.equals(node.path("id").asText())) {
        log.warn("the projection stored for run {} is of another run: it will be rebuilt", run);
        return Optional.empty();
      }
      return Optional.of(
          new RunProjections.Snapshot(RunProjection.fromJson(node), Long.parseLong(stored[1])));
    } catch (IOException | IllegalArgumentException e) {
      log.warn(
          "the projection of run {} cannot be read ({}): it will be rebuilt", run, e.toString());
      return Optional.empty();
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws io.runjournal.StorageException if the database cannot be written
   */
  @Override
  public void save(RunProjections.Snapshot snapshot) {
    String run = snapshot.projection().run();
    String json = toJson(snapshot.projection());
    if (!JsonbValues.isStorable(json)) {
      log.debug("the projection of run {} does not fit jsonb; it is folded afresh instead", run);
      return;
    }
    database.read(
        run,
        "saving the projection of",
        connection -> {
          try (PreparedStatement update =
              connection.prepareStatement(
                  "update runs set projection = ?::jsonb, projection_bytes = ?"
                      + " where run = ? and (projection_bytes is null or projection_bytes <= ?)")) {
            update.setString(1, json);
            update.setLong(2, snapshot.journalBytes());
            update.setString(3, run);
            update.setLong(4, snapshot.journalBytes());
            return update.executeUpdate();
          }
        });
  }

  private static String toJson(RunProjection projection) {
    StringWriter out = new StringWriter(1024);
    try (JsonGenerator generator = JSON.createGenerator(out)) {
      projection.writeJson(generator, /* snapshot= */ true);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return out.toString();
  }
}
