package io.runjournal.server.store;

import io.runjournal.Journal;
import io.runjournal.projection.RunProjections;
import java.util.Objects;

/**
 * A store the server has opened: the journal and where its projection snapshots are kept.
 *
 * @param journal the open journal; the server closes it
 * @param snapshots the snapshots of its runs' projections ({@code run.json} files on the file
 *     store, the {@code runs} table on PostgreSQL)
 * @param postgres whether this is the PostgreSQL store, which several nodes may share
 */
public record OpenedStore(Journal journal, RunProjections.Snapshots snapshots, boolean postgres) {

  /** Checks that neither part is missing. */
  public OpenedStore {
    Objects.requireNonNull(journal, "journal");
    Objects.requireNonNull(snapshots, "snapshots");
  }
}
