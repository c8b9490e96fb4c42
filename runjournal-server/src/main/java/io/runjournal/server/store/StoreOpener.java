package io.runjournal.server.store;

import io.runjournal.Journal;
import io.runjournal.JournalOptions;
import io.runjournal.postgres.PostgresJournal;
import io.runjournal.postgres.PostgresOptions;
import io.runjournal.postgres.PostgresSnapshots;
import io.runjournal.projection.FileSnapshots;
import io.runjournal.server.ServerConfig;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Opens the store a server configuration names: the file store in the data directory, or the
 * PostgreSQL database of {@link ServerConfig#pgUrl()} (whose Flyway migrations are applied as it
 * opens). Immutable and thread-safe; each {@link #open()} opens a new journal.
 */
public final class StoreOpener {
  private final Path dataDir;
  private final PostgresOptions postgres;
  private final JournalOptions options;

  private StoreOpener(Path dataDir, PostgresOptions postgres, JournalOptions options) {
    this.dataDir = dataDir;
    this.postgres = postgres;
    this.options = options;
  }

  /**
   * The opener of {@code config}'s store, with these journal options (size limit, observer, fsync:
   * the file store's only).
   *
   * @throws IllegalArgumentException if the PostgreSQL URL is not one (checked now, not at open)
   */
  public static StoreOpener of(ServerConfig config, JournalOptions options) {
    Objects.requireNonNull(options, "options");
    PostgresOptions postgres =
        config.pgUrl() == null ? null : PostgresOptions.of(config.pgUrl()).withJournal(options);
    return new StoreOpener(config.dataDir(), postgres, options);
  }

  /** Whether this opens the PostgreSQL store. */
  public boolean postgres() {
    return postgres != null;
  }

  /** What is opened, for logs and the console: the data directory, or the URL without password. */
  public String description() {
    return postgres == null ? dataDir.toString() : PgUrls.redacted(postgres.url());
  }

  /**
   * Opens the journal and its snapshots.
   *
   * @throws io.runjournal.RunJournalException (or another unchecked exception from the driver, the
   *     pool or the migrations) if the store cannot be opened; nothing stays open then
   */
  public OpenedStore open() {
    if (postgres == null) {
      return new OpenedStore(
          Journal.open(dataDir, options), new FileSnapshots(dataDir), /* postgres= */ false);
    }
    PostgresJournal journal = PostgresJournal.open(postgres);
    try {
      return new OpenedStore(journal, new PostgresSnapshots(journal), /* postgres= */ true);
    } catch (RuntimeException e) {
      journal.close();
      throw e;
    }
  }
}
