package io.runjournal.postgres;

import io.runjournal.JournalOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * How the PostgreSQL store connects and behaves. Immutable; start from {@link #of(String)}.
 *
 * @param url the database, as {@code postgresql://user:password@host:port/database?params} (or a
 *     {@code jdbc:postgresql:} URL)
 * @param poolSize the most pooled connections for appends and reads (HikariCP), besides the one
 *     dedicated {@code LISTEN} connection
 * @param connectTimeout how long to wait for a connection before failing
 * @param recheckInterval how often waiting subscriptions re-read heads even without a {@code
 *     NOTIFY}, so a lost notification can never stall a subscriber
 * @param migrate whether {@link PostgresJournal#open} applies the Flyway migrations
 * @param journal the store-independent options that apply: {@code maxEventBytes}, {@code clock},
 *     {@code observer}; fsync and file options do not apply (PostgreSQL commits durably)
 */
public record PostgresOptions(
    String url,
    int poolSize,
    Duration connectTimeout,
    Duration recheckInterval,
    boolean migrate,
    JournalOptions journal) {

  /**
   * Validates the values, naming the bad one.
   *
   * @throws IllegalArgumentException for a URL that is not a PostgreSQL URL, or a non-positive size
   *     or duration
   */
  public PostgresOptions {
    Objects.requireNonNull(url, "url");
    if (!url.startsWith("postgresql://")
        && !url.startsWith("postgres://")
        && !url.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "the PostgreSQL URL must start with postgresql:// (or jdbc:postgresql:), got " + url);
    }
    if (poolSize < 1) {
      throw new IllegalArgumentException("poolSize must be >= 1, got " + poolSize);
    }
    requirePositive("connectTimeout", connectTimeout);
    requirePositive("recheckInterval", recheckInterval);
    Objects.requireNonNull(journal, "journal");
  }

  private static void requirePositive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }

  /** Defaults for {@code url}: pool of 16, 10 s connect timeout, recheck every 1 s, migrate. */
  public static PostgresOptions of(String url) {
    return new PostgresOptions(
        url, 16, Duration.ofSeconds(10), Duration.ofSeconds(1), true, JournalOptions.defaults());
  }

  /** A copy with this pool size. */
  public PostgresOptions withPoolSize(int size) {
    return new PostgresOptions(url, size, connectTimeout, recheckInterval, migrate, journal);
  }

  /** A copy with this connect timeout. */
  public PostgresOptions withConnectTimeout(Duration timeout) {
    return new PostgresOptions(url, poolSize, timeout, recheckInterval, migrate, journal);
  }

  /** A copy that rechecks heads this often without a notification. */
  public PostgresOptions withRecheckInterval(Duration interval) {
    return new PostgresOptions(url, poolSize, connectTimeout, interval, migrate, journal);
  }

  /** A copy that does (or does not) apply migrations at open. */
  public PostgresOptions withMigrate(boolean apply) {
    return new PostgresOptions(url, poolSize, connectTimeout, recheckInterval, apply, journal);
  }

  /** A copy with these store-independent options. */
  public PostgresOptions withJournal(JournalOptions options) {
    return new PostgresOptions(url, poolSize, connectTimeout, recheckInterval, migrate, options);
  }
}
