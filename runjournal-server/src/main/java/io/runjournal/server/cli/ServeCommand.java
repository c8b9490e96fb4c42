package io.runjournal.server.cli;

import io.runjournal.FsyncPolicy;
import io.runjournal.server.RunJournalServer;
import io.runjournal.server.ServerConfig;
import io.runjournal.server.store.PgUrls;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code runjournal serve}: the HTTP server on the embedded file store or on PostgreSQL ({@code
 * --store postgres --pg-url URL}). Every option also reads from a {@code RUNJOURNAL_…} environment
 * variable (flag, then environment, then default). Runs until SIGTERM or Ctrl-C, then shuts down
 * cleanly: ends the streams, lets requests finish, syncs and closes the journal.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Run the HTTP server (REST, SSE live tail, metrics) on the data directory or on"
            + " PostgreSQL.")
final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin DataDirOption data;

  @Option(names = "--port", paramLabel = "N", description = "Port; env RUNJOURNAL_PORT (7070).")
  Integer port;

  @Option(
      names = "--bind",
      paramLabel = "ADDR",
      description =
          "Listen address; env RUNJOURNAL_BIND (127.0.0.1). Without tokens only loopback is"
              + " allowed unless --insecure.")
  String bind;

  @Option(
      names = "--fsync",
      paramLabel = "POLICY",
      converter = FsyncPolicyConverter.class,
      description = "always | interval | none; env RUNJOURNAL_FSYNC (always).")
  FsyncPolicy fsync;

  @Option(
      names = "--heartbeat",
      paramLabel = "DURATION",
      description = "SSE heartbeat interval, e.g. 15s; env RUNJOURNAL_HEARTBEAT (15s).")
  String heartbeat;

  @Option(
      names = "--sse-retry",
      paramLabel = "DURATION",
      description = "Reconnect delay sent to SSE clients; env RUNJOURNAL_SSE_RETRY (1s).")
  String sseRetry;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description =
          "Tokens, one 'name scope secret' per line; env RUNJOURNAL_TOKEN_FILE (none: no auth).")
  Path tokenFile;

  @Option(
      names = "--insecure",
      description = "Allow a non-loopback --bind without tokens; env RUNJOURNAL_INSECURE=true.")
  boolean insecure;

  @Option(
      names = "--max-request-bytes",
      paramLabel = "N",
      description = "Largest append body; env RUNJOURNAL_MAX_REQUEST_BYTES (16 MiB).")
  Long maxRequestBytes;

  @Option(
      names = "--max-batch-events",
      paramLabel = "N",
      description = "Most events per append; env RUNJOURNAL_MAX_BATCH_EVENTS (10000).")
  Integer maxBatchEvents;

  @Option(
      names = "--max-event-bytes",
      paramLabel = "N",
      description = "Largest serialized event; env RUNJOURNAL_MAX_EVENT_BYTES (1 MiB).")
  Integer maxEventBytes;

  @Option(
      names = "--max-subscribers-per-run",
      paramLabel = "N",
      description = "Live streams per run; env RUNJOURNAL_MAX_SUBSCRIBERS_PER_RUN (1000).")
  Integer maxSubscribersPerRun;

  @Option(
      names = "--max-subscribers",
      paramLabel = "N",
      description = "Live streams in total; env RUNJOURNAL_MAX_SUBSCRIBERS (10000).")
  Integer maxSubscribers;

  @Option(
      names = "--no-recovery",
      description =
          "Skip start-up recovery of the runs that were active; env RUNJOURNAL_NO_RECOVERY=true.")
  boolean noRecovery;

  @Option(
      names = "--interrupt-after",
      paramLabel = "DURATION",
      description =
          "Recovery ends runs idle longer than this with run.interrupted, e.g. 2h, 7d;"
              + " env RUNJOURNAL_INTERRUPT_AFTER (never).")
  String interruptAfter;

  @Option(
      names = "--store",
      paramLabel = "STORE",
      description =
          "file | postgres; env RUNJOURNAL_STORE (file, or postgres when a --pg-url is given).")
  String store;

  @Option(
      names = "--pg-url",
      paramLabel = "URL",
      description =
          "The PostgreSQL database, postgresql://user:password@host:port/db; implies --store"
              + " postgres; env RUNJOURNAL_PG_URL (prefer it: flags show in ps).")
  String pgUrl;

  @Option(
      names = "--recover-runs",
      description =
          "PostgreSQL: start-up recovery appends run.recovered to the active runs (off: another"
              + " node may be serving them); env RUNJOURNAL_RECOVER_RUNS=true.")
  boolean recoverRuns;

  @Option(
      names = "--max-import-bytes",
      paramLabel = "N",
      description = "Largest import body; env RUNJOURNAL_MAX_IMPORT_BYTES (64 MiB).")
  Long maxImportBytes;

  private final CliContext context;

  ServeCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    ServerConfig config = config();
    RunJournalServer server;
    try {
      server = RunJournalServer.start(config);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            Thread.ofPlatform()
                .name("runjournal-shutdown")
                .unstarted(
                    () -> {
                      server.close();
                      context.out().flush();
                      stopped.countDown();
                      if (Main.ownsProcess) {
                        // A clean stop is a success: exit 0, not the JVM's 143 for SIGTERM.
                        Runtime.getRuntime().halt(ExitCodes.OK);
                      }
                    }));
    String served =
        config.pgUrl() == null ? config.dataDir().toString() : PgUrls.redacted(config.pgUrl());
    context.out().println("RunJournal serving " + served + " on " + server.url());
    context.out().flush();
    stopped.await();
    return ExitCodes.OK;
  }

  /** The configuration from flags, then the environment, then the defaults. */
  ServerConfig config() {
    ServerConfig defaults = ServerConfig.defaults(data.resolve(context.env()));
    ServerConfig.Limits limits = defaults.limits();
    limits =
        limits
            .withMaxRequestBytes(
                pick(
                    maxRequestBytes,
                    "MAX_REQUEST_BYTES",
                    Long::parseLong,
                    limits.maxRequestBytes()))
            .withMaxBatchEvents(
                pick(
                    maxBatchEvents, "MAX_BATCH_EVENTS", Integer::parseInt, limits.maxBatchEvents()))
            .withMaxEventBytes(
                pick(maxEventBytes, "MAX_EVENT_BYTES", Integer::parseInt, limits.maxEventBytes()))
            .withMaxSubscribers(
                pick(
                    maxSubscribersPerRun,
                    "MAX_SUBSCRIBERS_PER_RUN",
                    Integer::parseInt,
                    limits.maxSubscribersPerRun()),
                pick(maxSubscribers, "MAX_SUBSCRIBERS", Integer::parseInt, limits.maxSubscribers()))
            .withMaxImportBytes(
                pick(maxImportBytes, "MAX_IMPORT_BYTES", Long::parseLong, limits.maxImportBytes()));
    String tokens = env("TOKEN_FILE");
    if (noRecovery && interruptAfter != null) {
      throw new ParameterException(
          spec.commandLine(),
          "--interrupt-after is applied by start-up recovery: it cannot go with --no-recovery");
    }
    if (noRecovery && recoverRuns) {
      throw new ParameterException(
          spec.commandLine(),
          "--recover-runs is a way of start-up recovery: it cannot go with --no-recovery");
    }
    try {
      ServerConfig config =
          defaults
              .withPort(pick(port, "PORT", Integer::parseInt, defaults.port()))
              .withBind(pickText(bind, "BIND", Function.identity(), defaults.bind()))
              .withFsync(pick(fsync, "FSYNC", FsyncPolicy::parse, defaults.fsync()))
              .withHeartbeat(
                  pickText(heartbeat, "HEARTBEAT", ServeCommand::duration, defaults.heartbeat()))
              .withSseRetry(
                  pickText(sseRetry, "SSE_RETRY", ServeCommand::duration, defaults.sseRetry()))
              .withTokenFile(
                  tokenFile != null
                      ? tokenFile
                      : tokens == null || tokens.isBlank() ? null : Path.of(tokens))
              .withInsecure(insecure || "true".equalsIgnoreCase(env("INSECURE")))
              .withLimits(limits)
              .withRecovery(!(noRecovery || "true".equalsIgnoreCase(env("NO_RECOVERY"))))
              .withInterruptAfter(
                  pickText(interruptAfter, "INTERRUPT_AFTER", ServeCommand::duration, null))
              .withPostgres(postgresUrl())
              .withRecoverRuns(recoverRuns || "true".equalsIgnoreCase(env("RECOVER_RUNS")));
      config.requireConsistent();
      return config;
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  /**
   * The database to serve, or null for the file store. {@code --pg-url} (or {@code
   * RUNJOURNAL_PG_URL}) alone means PostgreSQL; an explicit {@code file} store ignores the
   * environment's URL but refuses a {@code --pg-url} flag.
   */
  private String postgresUrl() {
    String kind = pickText(store, "STORE", text -> text.strip().toLowerCase(Locale.ROOT), null);
    String url = pgUrl != null ? pgUrl.strip() : env("PG_URL");
    boolean hasUrl = url != null && !url.isBlank();
    if (kind == null) {
      return hasUrl ? url.strip() : null;
    }
    switch (kind) {
      case "file" -> {
        if (pgUrl != null) {
          throw new ParameterException(
              spec.commandLine(),
              "--pg-url is for the PostgreSQL store, but the store is file: leave out --store (or"
                  + " give --store postgres) to serve PostgreSQL");
        }
        return null;
      }
      case "postgres", "postgresql" -> {
        if (!hasUrl) {
          throw new ParameterException(
              spec.commandLine(),
              "--store postgres needs the database: give --pg-url"
                  + " postgresql://user:password@host:port/db or set RUNJOURNAL_PG_URL");
        }
        return url.strip();
      }
      default ->
          throw new ParameterException(
              spec.commandLine(), "--store must be file or postgres, got \"" + kind + "\"");
    }
  }

  /** The flag's value if given, else the parsed environment variable, else the default. */
  private <T> T pick(T flag, String name, Function<String, T> parse, T fallback) {
    return flag != null ? flag : fromEnv(name, parse, fallback);
  }

  /** A flag given as text: parsed like its environment variable. */
  private <T> T pickText(String flag, String name, Function<String, T> parse, T fallback) {
    return flag != null ? parse.apply(flag) : fromEnv(name, parse, fallback);
  }

  private <T> T fromEnv(String name, Function<String, T> parse, T fallback) {
    String value = env(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return parse.apply(value.strip());
    } catch (RuntimeException e) {
      throw new ParameterException(
          spec.commandLine(),
          "RUNJOURNAL_" + name + "=" + value + " is not valid: " + e.getMessage(),
          e);
    }
  }

  private String env(String name) {
    return context.env().get("RUNJOURNAL_" + name);
  }

  /**
   * {@code 500ms}, {@code 15s}, {@code 2m}, {@code 3h}, {@code 7d}, or an ISO-8601 duration such as
   * {@code PT15S}.
   */
  static Duration duration(String text) {
    String value = text.strip().toLowerCase(Locale.ROOT);
    try {
      if (value.startsWith("p")) {
        return Duration.parse(text.strip());
      }
      if (value.endsWith("d")) {
        return Duration.ofDays(Long.parseLong(value.substring(0, value.length() - 1)));
      }
      if (value.endsWith("h")) {
        return Duration.ofHours(Long.parseLong(value.substring(0, value.length() - 1)));
      }
      if (value.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
      }
      if (value.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
      }
      if (value.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(value.substring(0, value.length() - 1)));
      }
      return Duration.parse(text.strip());
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not a duration (examples: 15s, 500ms, 2m, 3h, 7d, PT15S)", e);
    }
  }
}
