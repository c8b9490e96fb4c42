package io.runjournal.server;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.runjournal.Journal;
import io.runjournal.JournalClosedException;
import io.runjournal.JournalOptions;
import io.runjournal.recovery.Recovery;
import io.runjournal.server.auth.Authenticator;
import io.runjournal.server.auth.Scope;
import io.runjournal.server.auth.Sessions;
import io.runjournal.server.auth.TokenFile;
import io.runjournal.server.http.AuthApi;
import io.runjournal.server.http.Problem;
import io.runjournal.server.http.ProblemWriter;
import io.runjournal.server.http.RecoveryApi;
import io.runjournal.server.http.Route;
import io.runjournal.server.http.ServerMetrics;
import io.runjournal.server.http.SystemApi;
import io.runjournal.server.logging.ServerLogs;
import io.runjournal.server.store.OpenedStore;
import io.runjournal.server.store.StartupRecovery;
import io.runjournal.server.store.StoreConnector;
import io.runjournal.server.store.StoreOpener;
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
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RunJournal HTTP server on the file store or on PostgreSQL: REST to append and replay, SSE for
 * the live tail, auth, metrics. Javalin on virtual threads: every request, and every SSE stream,
 * has a thread of its own, so a blocking journal call or a slow client costs one cheap thread.
 *
 * <p>{@link #start} opens the store, starts HTTP, runs start-up recovery (DESIGN §8) and only then
 * turns ready: while recovery runs, {@code /healthz}, {@code /v1/recovery} and every read answer,
 * and writes (routes that need scope append or admin) are refused with 503 {@code unavailable}, so
 * that each {@code run.recovered} sits exactly where the crash left its run. On PostgreSQL a
 * database that does not answer at start does not stop the server: it serves {@code /healthz},
 * answers 503 on {@code /readyz} and on every route that needs the store, and keeps trying with
 * backoff ({@link StoreConnector}); once the store opens, recovery runs and the server turns ready.
 *
 * <p>{@link #close()} shuts down in order: stop trying to open the store, refuse new streams and
 * end the open ones, stop the HTTP server (in-flight requests finish), then close the journal,
 * which syncs what it wrote. Thread-safe.
 */
public final class RunJournalServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RunJournalServer.class);
  private static final Duration FIRST_RETRY = Duration.ofMillis(250);
  private static final Duration MAX_RETRY = Duration.ofSeconds(10);

  private final ServerConfig config;
  private final ServerMetrics metrics;
  private final ObjectMapper json = new ObjectMapper();
  private final StoreOpener opener;
  private final StoreConnector connector;
  private final Javalin app;
  private final AtomicBoolean ready = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final List<Route> routes;
  private final RecoveryApi recovery;
  private final ServerLogs serverLogs;
  private final ScheduledExecutorService snapshotFlusher =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("runjournal-snapshots").daemon().factory());
  private final ReentrantLock lifecycle = new ReentrantLock();

  /** What serves the store once it is open; null before. Set once, under lifecycle. */
  private volatile StoreApis store;

  private RunJournalServer(
      ServerConfig config,
      StoreOpener opener,
      ServerMetrics metrics,
      TokenFile tokens,
      ServerLogs serverLogs)
      throws IOException {
    this.config = config;
    this.opener = opener;
    this.connector = new StoreConnector(opener, FIRST_RETRY, MAX_RETRY);
    this.serverLogs = serverLogs;
    this.metrics = metrics;
    ProblemWriter problems = new ProblemWriter(json, config.dataDir());
    Sessions sessions = new Sessions(Duration.ofHours(12), Clock.systemUTC());
    Authenticator auth = new Authenticator(tokens, sessions);
    SystemApi system = new SystemApi(metrics, ready::get);
    AuthApi login = new AuthApi(auth, sessions, json);
    this.recovery = new RecoveryApi(json, config.recovery(), Clock.systemUTC());
    this.routes =
        List.of(
            new Route(GET, "/healthz", null, system::health),
            new Route(GET, "/readyz", null, system::ready),
            new Route(GET, "/metrics", Scope.READ, system::metrics),
            new Route(GET, "/openapi.json", null, system::openApi),
            new Route(GET, "/v1/recovery", Scope.READ, recovery::get),
            new Route(POST, "/v1/auth/login", null, login::login),
            new Route(POST, "/v1/auth/logout", null, login::logout),
            new Route(GET, "/v1/auth/me", null, login::me),
            onStore(POST, "/v1/runs", Scope.APPEND, apis -> apis.runs::create),
            onStore(GET, "/v1/runs", Scope.READ, apis -> apis.runs::list),
            onStore(GET, "/v1/runs/{run}", Scope.READ, apis -> apis.runs::get),
            onStore(POST, "/v1/runs/compare", Scope.READ, apis -> apis.compare::compare),
            onStore(POST, "/v1/runs/import", Scope.APPEND, apis -> apis.export::importRun),
            onStore(GET, "/v1/runs/{run}/export", Scope.READ, apis -> apis.export::export),
            onStore(POST, "/v1/runs/{run}/events", Scope.APPEND, apis -> apis.events::append),
            onStore(GET, "/v1/runs/{run}/events", Scope.READ, apis -> apis.events::read),
            onStore(GET, "/v1/runs/{run}/stream", Scope.READ, apis -> apis.streams::stream),
            onStore(GET, "/v1/runs/{run}/trace", Scope.READ, apis -> apis.traces::trace));

    this.app =
        HttpApp.create(config, routes, auth, problems, metrics, this::refuseWritesUntilReady);
  }

  /** A route served by the store's APIs: 503 until the store is open. */
  private Route onStore(
      HandlerType method, String path, Scope scope, Function<StoreApis, Handler> handler) {
    return new Route(method, path, scope, ctx -> handler.apply(openStore()).handle(ctx));
  }

  private StoreApis openStore() {
    StoreApis apis = store;
    if (apis == null) {
      throw storeNotOpen();
    }
    return apis;
  }

  private void refuseWritesUntilReady() {
    if (store == null) {
      throw storeNotOpen();
    }
    if (recovery.running()) {
      throw recovery.unavailable();
    }
  }

  private Problem storeNotOpen() {
    return Problem.of(503, "unavailable", "Store is not open", connector.status())
        .with("attempts", connector.attempts());
  }

  /**
   * Opens the store of {@code config} and starts serving.
   *
   * @throws IllegalArgumentException if the token file is invalid, the bind address is not a
   *     loopback address while no tokens are configured and {@code insecure} is off, or options do
   *     not go together ({@link ServerConfig#requireConsistent()})
   * @throws io.runjournal.RunJournalException if the file store cannot be opened or recovered (a
   *     PostgreSQL store that cannot be opened yet is retried in the background instead)
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
    config.requireConsistent();
    TokenFile tokens = config.tokenFile() == null ? null : TokenFile.read(config.tokenFile());
    if (tokens == null && !config.insecure() && !isLoopback(config.bind())) {
      throw new IllegalArgumentException(
          "refusing to listen on "
              + config.bind()
              + " without tokens: anyone who can reach it could read and write every run."
              + " Give --token-file, bind to 127.0.0.1, or pass --insecure");
    }
    ServerMetrics metrics = new ServerMetrics();
    StoreOpener opener =
        StoreOpener.of(
            config,
            JournalOptions.defaults()
                .withFsync(config.fsync())
                .withMaxEventBytes(config.limits().maxEventBytes())
                .withObserver(metrics.journalObserver()));
    ServerLogs serverLogs = ServerLogs.install(config.dataDir());
    RunJournalServer server;
    try {
      server = new RunJournalServer(config, opener, metrics, tokens, serverLogs);
    } catch (RuntimeException | IOException e) {
      serverLogs.close();
      throw e;
    }
    try {
      if (!opener.postgres()) {
        server.install(opener.open()); // a file store that cannot be opened fails the start
      }
      server.app.start(config.bind(), config.port());
      server.keepStreamsAlive();
      if (opener.postgres()) {
        server.startOnSharedStore(observer);
      } else {
        server.recoverAndTurnReady(observer);
      }
      log.info("serving {} on {}", opener.description(), server.url());
      return server;
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /**
   * PostgreSQL: one attempt now, so that a reachable database is ready when {@link #start} returns,
   * as the file store is; else (or if recovery fails on it) keep trying in the background.
   */
  private void startOnSharedStore(Recovery.Listener observer) {
    OpenedStore opened = connector.tryOpen();
    if (opened != null) {
      install(opened);
      try {
        recoverAndTurnReady(observer);
        return;
      } catch (RuntimeException e) {
        log.warn(
            "{} is open, but start-up recovery failed: {}", opener.description(), e.toString());
      }
    }
    connector.retryInBackground(
        opened,
        store -> {
          install(store);
          recoverAndTurnReady(observer);
        });
  }

  /** Builds the APIs over {@code opened}, unless it is already installed or the server closed. */
  private void install(OpenedStore opened) {
    lifecycle.lock();
    try {
      if (closed.get()) {
        opened.journal().close();
        throw new JournalClosedException(
            "the server was closed while " + opener.description() + " opened");
      }
      if (store == null) {
        store = new StoreApis(opened, config, metrics, json);
      }
    } finally {
      lifecycle.unlock();
    }
  }

  /** Recovery (HTTP already answers, readiness waits for it), the snapshot flush, then ready. */
  private void recoverAndTurnReady(Recovery.Listener observer) {
    StoreApis apis = openStore();
    recover(apis, observer);
    lifecycle.lock();
    try {
      if (closed.get()) {
        return;
      }
      snapshotFlusher.scheduleWithFixedDelay(apis.projections::flush, 1, 1, TimeUnit.SECONDS);
      ready.set(true);
    } finally {
      lifecycle.unlock();
    }
  }

  /** Start-up recovery, unless it is off; see {@code docs/server.md} for the shared store's. */
  private void recover(StoreApis apis, Recovery.Listener observer) {
    if (!config.recovery()) {
      log.info("start-up recovery is off");
      return;
    }
    recovery.finished(
        StartupRecovery.run(config, apis.store, apis.projections, List.of(recovery, observer)));
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

  /**
   * The journal the server serves.
   *
   * @throws IllegalStateException if the store is not open yet (PostgreSQL not reachable)
   */
  public Journal journal() {
    StoreApis apis = store;
    if (apis == null) {
      throw new IllegalStateException(connector.status());
    }
    return apis.journal;
  }

  /** Whether the server is ready: the store is open and start-up recovery is done. */
  public boolean isReady() {
    return ready.get();
  }

  /** The routes the server serves (for the OpenAPI check and the docs). */
  public List<Route> routes() {
    return routes;
  }

  /** The number of open SSE streams. */
  public int openStreams() {
    StoreApis apis = store;
    return apis == null ? 0 : apis.streams.openStreams();
  }

  /** Ends every open SSE stream now, as a network failure would; clients resume. */
  public void dropStreams() {
    StoreApis apis = store;
    if (apis != null) {
      apis.streams.dropAll();
    }
  }

  /**
   * Stops trying to open the store, ends streams, stops HTTP, closes (and syncs) the journal;
   * idempotent.
   */
  @Override
  public void close() {
    lifecycle.lock();
    try {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      ready.set(false);
    } finally {
      lifecycle.unlock();
    }
    connector.close(); // after this, nothing installs a store any more
    StoreApis apis = store;
    if (apis != null) {
      apis.streams.closeAll();
    }
    try {
      app.stop();
      snapshotFlusher.shutdown();
      if (apis != null) {
        apis.projections.flush();
      }
    } finally {
      if (apis != null) {
        apis.journal.close();
      }
      log.info("stopped");
      serverLogs.close();
    }
  }

  /** Hands what the process logged so far to {@code <data>/logs/runjournal.jsonl}; for tests. */
  void flushServerLog() {
    serverLogs.flush();
  }
}
