package io.runjournal.server;

import io.runjournal.FsyncPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything {@code runjournal serve} is configured with. Built from flags, {@code RUNJOURNAL_…}
 * environment variables and these defaults by the {@code serve} command; tests build it directly.
 * Immutable and validated when built.
 *
 * @param dataDir the file store's data directory; on PostgreSQL only the server's own log ({@code
 *     <data>/logs/}) is kept there
 * @param bind the address to listen on; without tokens only a loopback address is allowed unless
 *     {@code insecure}
 * @param port the port, 0 for any free port
 * @param fsync the journal's fsync policy
 * @param heartbeat the interval of SSE heartbeat comments
 * @param sseRetry the reconnect delay sent to SSE clients in the first frame
 * @param tokenFile the token file (see {@code docs/server.md}), or null to run without auth
 * @param insecure allow a non-loopback bind without tokens
 * @param limits request and subscriber limits
 * @param recovery whether start-up recovery runs (DESIGN §8) before the server turns ready
 * @param interruptAfter recovery interrupts runs idle longer than this; null = never
 * @param pgUrl the PostgreSQL store's database ({@code postgresql://user:password@host:port/db}),
 *     or null for the file store in {@code dataDir}
 * @param recoverRuns on PostgreSQL, whether start-up recovery appends {@code run.recovered} to the
 *     active runs (see {@code docs/server.md}: off by default, because with several nodes the
 *     active runs may be served by a node that is up); the file store always does
 */
public record ServerConfig(
    Path dataDir,
    String bind,
    int port,
    FsyncPolicy fsync,
    Duration heartbeat,
    Duration sseRetry,
    Path tokenFile,
    boolean insecure,
    Limits limits,
    boolean recovery,
    Duration interruptAfter,
    String pgUrl,
    boolean recoverRuns) {

  /** The default port. */
  public static final int DEFAULT_PORT = 7070;

  /** Where the journal is kept. */
  public enum Store {
    /** The embedded file store in the data directory. */
    FILE,
    /** A PostgreSQL database, which several server nodes may share. */
    POSTGRES
  }

  /** Checks the values. */
  public ServerConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(fsync, "fsync");
    Objects.requireNonNull(limits, "limits");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
    }
    if (heartbeat.isNegative() || heartbeat.isZero()) {
      throw new IllegalArgumentException("heartbeat must be positive, got " + heartbeat);
    }
    if (sseRetry.isNegative()) {
      throw new IllegalArgumentException("sseRetry must not be negative, got " + sseRetry);
    }
    if (interruptAfter != null && (interruptAfter.isNegative() || interruptAfter.isZero())) {
      throw new IllegalArgumentException("interrupt-after must be positive, got " + interruptAfter);
    }
    if (pgUrl != null && pgUrl.isBlank()) {
      throw new IllegalArgumentException("the PostgreSQL URL must not be blank");
    }
  }

  /**
   * Checks the options that only make sense together, which the withers cannot check one at a time;
   * {@link RunJournalServer#start} calls it.
   *
   * @throws IllegalArgumentException naming the options that do not go together
   */
  public void requireConsistent() {
    if (recoverRuns && pgUrl == null) {
      throw new IllegalArgumentException(
          "--recover-runs applies to the PostgreSQL store; the file store always appends"
              + " run.recovered to the runs it recovers");
    }
    if (pgUrl != null && recovery && interruptAfter != null && !recoverRuns) {
      throw new IllegalArgumentException(
          "on PostgreSQL, --interrupt-after is applied by the recovery that appends"
              + " run.recovered: give --recover-runs too (docs/server.md, start-up recovery)");
    }
  }

  /** The store this configuration serves: PostgreSQL when a URL is set, else the file store. */
  public Store store() {
    return pgUrl == null ? Store.FILE : Store.POSTGRES;
  }

  /**
   * The defaults on {@code dataDir}: the file store, loopback, port 7070, fsync always, no tokens,
   * recovery on without interruption.
   */
  public static ServerConfig defaults(Path dataDir) {
    return new ServerConfig(
        dataDir,
        "127.0.0.1",
        DEFAULT_PORT,
        FsyncPolicy.ALWAYS,
        Duration.ofSeconds(15),
        Duration.ofSeconds(1),
        null,
        false,
        Limits.defaults(),
        true,
        null,
        null,
        false);
  }

  /** A copy listening on {@code address}. */
  public ServerConfig withBind(String address) {
    return new ServerConfig(
        dataDir,
        address,
        port,
        fsync,
        heartbeat,
        sseRetry,
        tokenFile,
        insecure,
        limits,
        recovery,
        interruptAfter,
        pgUrl,
        recoverRuns);
  }

  /** A copy on {@code number} (0 = any free port). */
  public ServerConfig withPort(int number) {
    return new ServerConfig(
        dataDir,
        bind,
        number,
        fsync,
        heartbeat,
        sseRetry,
        tokenFile,
        insecure,
        limits,
        recovery,
        interruptAfter,
        pgUrl,
        recoverRuns);
  }

  /** A copy with this fsync policy. */
  public ServerConfig withFsync(FsyncPolicy policy) {
    return new ServerConfig(
        dataDir,
        bind,
        port,
        policy,
        heartbeat,
        sseRetry,
        tokenFile,
        insecure,
        limits,
        recovery,
        interruptAfter,
        pgUrl,
        recoverRuns);
  }

  /** A copy with this SSE heartbeat interval. */
  public ServerConfig withHeartbeat(Duration interval) {
    return new ServerConfig(
        dataDir,
        bind,
        port,
        fsync,
        interval,
        sseRetry,
        tokenFile,
        insecure,
        limits,
        recovery,
        interruptAfter,
        pgUrl,
        recoverRuns);
  }

  /** A copy that tells SSE clients to wait {@code delay} before reconnecting. */
  public ServerConfig withSseRetry(Duration delay) {
    return new ServerConfig(
        dataDir,
        bind,
        port,
        fsync,
        heartbeat,
        delay,
        tokenFile,
        insecure,
        limits,
        recovery,
        interruptAfter,
        pgUrl,
        recoverRuns);
  }

  /** A copy that authenticates with the tokens of {@code file}. */
  public ServerConfig withTokenFile(Path file) {
    return new ServerConfig(
        dataDir,
        bind,
        port,
        fsync,
        heartbeat,
        sseRetry,
        file,
        insecure,
        limits,
        recovery,
        interruptAfter,
        pgUrl,
        recoverRuns);
  }

  /** A copy that allows (or not) a non-loopback bind without tokens. */
  public ServerConfig withInsecure(boolean allow) {
    return new ServerConfig(
        dataDir,
        bind,
        port,
        fsync,
        heartbeat,
        sseRetry,
        tokenFile,
        allow,
        limits,
        recovery,
        interruptAfter,
        pgUrl,
        recoverRuns);
  }

  /** A copy with these limits. */
  public ServerConfig withLimits(Limits newLimits) {
    return new ServerConfig(
        dataDir,
        bind,
        port,
        fsync,
        heartbeat,
        sseRetry,
        tokenFile,
        insecure,
        newLimits,
        recovery,
        interruptAfter,
        pgUrl,
        recoverRuns);
  }

  /** A copy with start-up recovery on or off. */
  public ServerConfig withRecovery(boolean enabled) {
    return new ServerConfig(
        dataDir,
        bind,
        port,
        fsync,
        heartbeat,
        sseRetry,
        tokenFile,
        insecure,
        limits,
        enabled,
        interruptAfter,
        pgUrl,
        recoverRuns);
  }

  /** A copy whose recovery interrupts runs idle longer than {@code idle} (null: never). */
  public ServerConfig withInterruptAfter(Duration idle) {
    return new ServerConfig(
        dataDir,
        bind,
        port,
        fsync,
        heartbeat,
        sseRetry,
        tokenFile,
        insecure,
        limits,
        recovery,
        idle,
        pgUrl,
        recoverRuns);
  }

  /**
   * A copy on the PostgreSQL database at {@code url} ({@code
   * postgresql://user:password@host:port/db}); null returns to the file store.
   */
  public ServerConfig withPostgres(String url) {
    return new ServerConfig(
        dataDir,
        bind,
        port,
        fsync,
        heartbeat,
        sseRetry,
        tokenFile,
        insecure,
        limits,
        recovery,
        interruptAfter,
        url,
        recoverRuns);
  }

  /** A copy whose PostgreSQL recovery does (or does not) append {@code run.recovered}. */
  public ServerConfig withRecoverRuns(boolean mark) {
    return new ServerConfig(
        dataDir,
        bind,
        port,
        fsync,
        heartbeat,
        sseRetry,
        tokenFile,
        insecure,
        limits,
        recovery,
        interruptAfter,
        pgUrl,
        mark);
  }

  /**
   * Bounds on what one request or the server as a whole may take.
   *
   * @param maxRequestBytes the largest append request body
   * @param maxBatchEvents the most events in one append request
   * @param maxEventBytes the largest serialized event (the journal's limit)
   * @param maxSubscribersPerRun live SSE streams on one run
   * @param maxSubscribers live SSE streams in total
   * @param maxImportBytes the largest import request body ({@code POST /v1/runs/import}), which is
   *     a whole run and so has a limit of its own
   */
  public record Limits(
      long maxRequestBytes,
      int maxBatchEvents,
      int maxEventBytes,
      int maxSubscribersPerRun,
      int maxSubscribers,
      long maxImportBytes) {

    /** Checks that every limit is positive. */
    public Limits {
      if (maxRequestBytes < 1
          || maxBatchEvents < 1
          || maxEventBytes < 1
          || maxSubscribersPerRun < 1
          || maxSubscribers < 1
          || maxImportBytes < 1) {
        throw new IllegalArgumentException("every limit must be positive: " + this);
      }
    }

    /**
     * 16 MiB bodies, 10,000 events per batch, 1 MiB events, 1,000 streams per run, 10,000, 64 MiB
     * imports.
     */
    public static Limits defaults() {
      return new Limits(16L << 20, 10_000, 1 << 20, 1_000, 10_000, 64L << 20);
    }

    /** A copy with this request body limit. */
    public Limits withMaxRequestBytes(long bytes) {
      return new Limits(
          bytes,
          maxBatchEvents,
          maxEventBytes,
          maxSubscribersPerRun,
          maxSubscribers,
          maxImportBytes);
    }

    /** A copy with this batch limit. */
    public Limits withMaxBatchEvents(int events) {
      return new Limits(
          maxRequestBytes,
          events,
          maxEventBytes,
          maxSubscribersPerRun,
          maxSubscribers,
          maxImportBytes);
    }

    /** A copy with this event size limit. */
    public Limits withMaxEventBytes(int bytes) {
      return new Limits(
          maxRequestBytes,
          maxBatchEvents,
          bytes,
          maxSubscribersPerRun,
          maxSubscribers,
          maxImportBytes);
    }

    /** A copy with these subscriber limits. */
    public Limits withMaxSubscribers(int perRun, int total) {
      return new Limits(
          maxRequestBytes, maxBatchEvents, maxEventBytes, perRun, total, maxImportBytes);
    }

    /** A copy with this import body limit. */
    public Limits withMaxImportBytes(long bytes) {
      return new Limits(
          maxRequestBytes,
          maxBatchEvents,
          maxEventBytes,
          maxSubscribersPerRun,
          maxSubscribers,
          bytes);
    }
  }
}
