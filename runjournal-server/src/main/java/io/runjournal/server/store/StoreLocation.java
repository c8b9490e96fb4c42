package io.runjournal.server.store;

import io.runjournal.Journal;
import io.runjournal.JournalOptions;
import io.runjournal.postgres.PostgresJournal;
import io.runjournal.postgres.PostgresOptions;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a journal is, as a command names it: a data directory, or a PostgreSQL URL ({@code
 * postgresql://…}, {@code postgres://…}, {@code jdbc:postgresql:…}). Immutable.
 */
public final class StoreLocation {
  private final Path dataDir;
  private final String pgUrl;

  private StoreLocation(Path dataDir, String pgUrl) {
    this.dataDir = dataDir;
    this.pgUrl = pgUrl;
  }

  /**
   * The location {@code text} names: a PostgreSQL URL by its scheme, else a directory path.
   *
   * @throws IllegalArgumentException if {@code text} is blank, or a PostgreSQL URL that is not
   *     valid
   */
  public static StoreLocation parse(String text) {
    Objects.requireNonNull(text, "text");
    String location = text.strip();
    if (location.isEmpty()) {
      throw new IllegalArgumentException("a store location must not be blank");
    }
    String lower = location.toLowerCase(Locale.ROOT);
    if (lower.startsWith("postgresql:")
        || lower.startsWith("postgres:")
        || lower.startsWith("jdbc:postgresql:")) {
      PostgresOptions.of(location); // validates now, before anything is opened
      return new StoreLocation(null, location);
    }
    return new StoreLocation(Path.of(location), null);
  }

  /** Whether this is a PostgreSQL database. */
  public boolean postgres() {
    return pgUrl != null;
  }

  /** The data directory, or null for a database. */
  public Path dataDir() {
    return dataDir;
  }

  /** Whether {@code other} names the same store (the same directory, or the same URL). */
  public boolean sameAs(StoreLocation other) {
    if (postgres() != other.postgres()) {
      return false;
    }
    return postgres()
        ? pgUrl.equals(other.pgUrl)
        : dataDir.toAbsolutePath().normalize().equals(other.dataDir.toAbsolutePath().normalize());
  }

  /**
   * Opens the journal there; a database gets its schema migrated first.
   *
   * @throws io.runjournal.RunJournalException (or the driver's unchecked exception) if it cannot be
   *     opened
   */
  public Journal open(JournalOptions options) {
    return postgres()
        ? PostgresJournal.open(PostgresOptions.of(pgUrl).withJournal(options))
        : Journal.open(dataDir, options);
  }

  /** The directory, or the URL without its password. */
  @Override
  public String toString() {
    return postgres() ? PgUrls.redacted(pgUrl) : dataDir.toString();
  }
}
