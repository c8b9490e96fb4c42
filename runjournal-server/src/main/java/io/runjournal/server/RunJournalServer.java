package io.runjournal.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.HandlerType;
import io.javalin.http.staticfiles.Location;
import io.runjournal.Journal;
import io.runjournal.JournalOptions;
import io.runjournal.projection.FileSnapshots;
import io.runjournal.projection.RunProjections;
import io.runjournal.recovery.Recovery;
import io.runjournal.recovery.RecoveryOptions;
import io.runjournal.server.auth.Authenticator;
import io.runjournal.server.auth.Scope;
import io.runjournal.server.auth.Sessions;
import io.runjournal.server.auth.TokenFile;
import io.runjournal.server.http.AuthApi;
import io.runjournal.server.http.CompareApi;
import io.runjournal.server.http.EventsApi;
import io.runjournal.server.http.ExportApi;
import io.runjournal.server.http.JettyErrors;
import io.runjournal.server.http.Problem;
import io.runjournal.server.http.ProblemWriter;
import io.runjournal.server.http.RecoveryApi;
import io.runjournal.server.http.Route;
import io.runjournal.server.http.RunSummaries;
import io.runjournal.server.http.RunsApi;
import io.runjournal.server.http.ServerMetrics;
import io.runjournal.server.http.StreamApi;
import io.runjournal.server.http.SystemApi;
import io.runjournal.server.http.TraceApi;
import io.runjournal.server.logging.ServerLogs;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RunJournal HTTP server on the embedded file store: REST to append and replay, SSE for the
 * live tail, auth, metrics. Javalin on virtual threads: every request, and every SSE stream, has a
 * thread of its own, so a blocking journal call or a slow client costs one cheap thread.
 *
 * <p>{@link #start} opens the journal, starts HTTP, runs start-up recovery (DESIGN §8) and only
 * then turns ready: while recovery runs, {@code /healthz}, {@code /v1/recovery} and every read
 * answer, and writes (routes that need scope append or admin) are refused with 503 {@code
 * unavailable}, so that each {@code run.recovered} sits exactly where the crash left its run.
 *
 * <p>{@link #close()} shuts down in order: refuse new streams and end the open ones, stop the HTTP
 * server (in-flight requests finish), then close the journal, which syncs what it wrote.
 */
public final class RunJournalServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RunJournalServer.class);

  private final ServerConfig config;
  private final Journal journal;
  private final StreamApi streams;
  private final Javalin app;
  private final AtomicBoolean ready = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final List<Route> routes;
  private final RunProjections projections;
  private final RecoveryApi recovery;
  private final ServerLogs serverLogs;
  private final ScheduledExecutorService snapshotFlusher =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("runjournal-snapshots").daemon().factory());

  private RunJournalServer(
      ServerConfig config,
      Journal journal,
      ServerMetrics metrics,
      TokenFile tokens,
      ServerLogs serverLogs)
      throws IOException {
    this.config = config;
    this.serverLogs = serverLogs;
    this.journal = journal;
    ObjectMapper json = new ObjectMapper();
    ProblemWriter problems = new ProblemWriter(json, config.dataDir());
    Sessions sessions = new Sessions(Duration.ofHours(12), Clock.systemUTC());
    Authenticator auth = new Authenticator(tokens, sessions);
    this.projections = new RunProjections(journal, new FileSnapshots(config.dataDir()), 4096);
    RunSummaries summaries = new RunSummaries(projections, json);
    EventsApi events = new EventsApi(journal, projections, json, config.limits(), metrics);
    CompareApi compare = new CompareApi(journal, projections, json);
    ExportApi export = new ExportApi(journal, summaries, config.limits(), Clock.systemUTC());
    RunsApi runs = new RunsApi(journal, json, summaries, Clock.systemUTC());
    this.streams = new StreamApi(journal, summaries, config, metrics);
    SystemApi system = new SystemApi(metrics, ready::get);
    AuthApi login = new AuthApi(auth, sessions, json);
    TraceApi traces = new TraceApi(journal, json);
    this.recovery = new RecoveryApi(json, config.recovery(), Clock.systemUTC());
    this.routes =
        List.of(
            new Route(HandlerType.GET, "/healthz", null, system::health),
            new Route(HandlerType.GET, "/readyz", null, system::ready),
            new Route(HandlerType.GET, "/metrics", Scope.READ, system::metrics),
            new Route(HandlerType.GET, "/openapi.json", null, system::openApi),
            new Route(HandlerType.GET, "/v1/recovery", Scope.READ, recovery::get),
            new Route(HandlerType.POST, "/v1/auth/login", null, login::login),
            new Route(HandlerType.POST, "/v1/auth/logout", null, login::logout),
            new Route(HandlerType.GET, "/v1/auth/me", null, login::me),
            new Route(HandlerType.POST, "/v1/runs", Scope.APPEND, runs::create),
            new Route(HandlerType.GET, "/v1/runs", Scope.READ, runs::list),
            new Route(HandlerType.GET, "/v1/runs/{run}", Scope.READ, runs::get),
            new Route(HandlerType.POST, "/v1/runs/compare", Scope.READ, compare::compare),
            new Route(HandlerType.POST, "/v1/runs/import", Scope.APPEND, export::importRun),
            new Route(HandlerType.GET, "/v1/runs/{run}/export", Scope.READ, export::export),
            new Route(HandlerType.POST, "/v1/runs/{run}/events", Scope.APPEND, events::append),
            new Route(HandlerType.GET, "/v1/runs/{run}/events", Scope.READ, events::read),
            new Route(HandlerType.GET, "/v1/runs/{run}/stream", Scope.READ, streams::stream),
            new Route(HandlerType.GET, "/v1/runs/{run}/trace", Scope.READ, traces::trace));

    this.app =
        Javalin.create(
            cfg -> {
              cfg.concurrency.useVirtualThreads = true;
              cfg.startup.showJavalinBanner = false;
              cfg.startup.showOldJavalinVersionWarning = false;
              cfg.http.compressionStrategy = CompressionStrategy.NONE;
              cfg.http.maxRequestSize = config.limits().maxRequestBytes();
              cfg.staticFiles.add("/public", Location.CLASSPATH);
              cfg.jetty.modifyServer(
                  server -> server.setErrorHandler(new JettyErrors(problems, metrics)));
              for (Route route : routes) {
                cfg.routes.addHttpHandler(
                    route.method(),
                    route.path(),
                    ctx -> {
                      if (route.scope() != null) {
                        auth.require(ctx, route.scope());
                      }
                      if (route.scope() != null
                          && route.scope().includes(Scope.APPEND)
                          && recovery.running()) {
                        throw recovery.unavailable();
                      }
                      route.handler().handle(ctx);
                    });
              }
              cfg.routes.exception(
                  Exception.class,
                  (error, ctx) -> {
                    Problem problem = problems.toProblem(error);
                    metrics.error(problem);
                    problems.write(ctx, problem);
                  });
              cfg.routes.error(
                  404,
                  ctx -> {
                    String type = ctx.res().getContentType();
                    if (type == null || !type.startsWith(ProblemWriter.PROBLEM_JSON)) {
                      Problem problem = Problem.notFound("no such endpoint: " + ctx.path());
                      metrics.error(problem);
                      problems.write(ctx, problem);
                    }
                  });
            });
  }

  /**
   * Opens the journal of {@code config} and starts serving.
   *
   * @throws IllegalArgumentException if the token file is invalid, or the bind address is not a
   *     loopback address while no tokens are configured and {@code insecure} is off
   */
  public static RunJournalServer start(ServerConfig config) throws IOException {
    return start(config, new Recovery.Listener() {});
  }

  /**
   * As {@link #start(ServerConfig)}, also telling {@code observer} how start-up recovery goes (a
   * test holds recovery mid-way by blocking in it).
   */
  static RunJournalServer start(ServerConfig config, Recovery.Listener observer)
      throws IOException {
    TokenFile tokens = config.tokenFile() == null ? null : TokenFile.read(config.tokenFile());
    if (tokens == null && !config.insecure() && !isLoopback(config.bind())) {
      throw new IllegalArgumentException(
          "refusing to listen on "
              + config.bind()
              + " without tokens: anyone who can reach it could read and write every run."
              + " Give --token-file, bind to 127.0.0.1, or pass --insecure");
    }
    ServerMetrics metrics = new ServerMetrics();
    ServerLogs serverLogs = ServerLogs.install(config.dataDir());
    Journal journal;
    try {
      journal =
          Journal.open(
              config.dataDir(),
              JournalOptions.defaults()
                  .withFsync(config.fsync())
                  .withMaxEventBytes(config.limits().maxEventBytes())
                  .withObserver(metrics.journalObserver()));
    } catch (RuntimeException e) {
      serverLogs.close();
      throw e;
    }
    RunJournalServer server;
    try {
      server = new RunJournalServer(config, journal, metrics, tokens, serverLogs);
    } catch (RuntimeException | IOException e) {
      journal.close();
      serverLogs.close();
      throw e;
    }
    try {
      server.app.start(config.bind(), config.port());
      server.keepStreamsAlive();
      server.recover(observer);
      server.snapshotFlusher.scheduleWithFixedDelay(
          server.projections::flush, 1, 1, TimeUnit.SECONDS);
      server.ready.set(true);
      log.info("serving {} on {}", config.dataDir(), server.url());
      return server;
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** Start-up recovery, unless it is off; HTTP already answers, readiness waits for it. */
  private void recover(Recovery.Listener observer) {
    if (!config.recovery()) {
      log.info("start-up recovery is off");
      return;
    }
    RecoveryOptions options =
        RecoveryOptions.defaults().withInterruptAfter(config.interruptAfter());
    Recovery.Listener listeners =
        new Recovery.Listener() {
          @Override
          public void started(int activeRuns) {
            recovery.started(activeRuns);
            observer.started(activeRuns);
          }

          @Override
          public void checked(String run) {
            recovery.checked(run);
            observer.checked(run);
          }
        };
    recovery.finished(new Recovery(journal, projections, options).run(listeners));
  }

  /** Jetty closes a connection idle for 30 s; an SSE stream is idle between heartbeats. */
  private void keepStreamsAlive() {
    long idle = Math.max(30_000, config.heartbeat().toMillis() * 2 + 5_000);
    for (Connector connector : app.jettyServer().server().getConnectors()) {
      if (connector instanceof ServerConnector server) {
        server.setIdleTimeout(idle);
      }
    }
  }

  private static boolean isLoopback(String bind) {
    try {
      return InetAddress.getByName(bind).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("cannot resolve bind address " + bind, e);
    }
  }

  /** The port the server listens on. */
  public int port() {
    return app.port();
  }

  /** The base URL, e.g. {@code http://127.0.0.1:7070}. */
  public URI url() {
    String host = config.bind().contains(":") ? "[" + config.bind() + "]" : config.bind();
    if (host.equals("0.0.0.0") || host.equals("[::]")) {
      host = "127.0.0.1";
    }
    return URI.create("http://" + host + ":" + port());
  }

  /** The journal the server serves. */
  public Journal journal() {
    return journal;
  }

  /** The routes the server serves (for the OpenAPI check and the docs). */
  public List<Route> routes() {
    return routes;
  }

  /** The number of open SSE streams. */
  public int openStreams() {
    return streams.openStreams();
  }

  /** Ends every open SSE stream now, as a network failure would; clients resume. */
  public void dropStreams() {
    streams.dropAll();
  }

  /** Ends streams, stops HTTP, closes (and syncs) the journal; idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    ready.set(false);
    streams.closeAll();
    try {
      app.stop();
      snapshotFlusher.shutdown();
      projections.flush();
    } finally {
      journal.close();
      log.info("stopped");
      serverLogs.close();
    }
  }

  /** Hands what the process logged so far to {@code <data>/logs/runjournal.jsonl}; for tests. */
  void flushServerLog() {
    serverLogs.flush();
  }
}
