package io.runjournal.server;

import static io.runjournal.server.Api.ok;
import static io.runjournal.server.Api.problem;
import static io.runjournal.server.Api.seqs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import io.runjournal.AppendRequest;
import io.runjournal.Journal;
import io.runjournal.model.Event;
import io.runjournal.model.NewEvent;
import io.runjournal.postgres.EmbeddedPostgresServer;
import io.runjournal.postgres.PostgresJournal;
import io.runjournal.postgres.PostgresOptions;
import io.runjournal.server.store.StoreConnector;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * {@code serve --store postgres} in-process on a real PostgreSQL: the API over the database,
 * readiness while the database does not answer, and start-up recovery on a shared store.
 */
class PostgresServeTest {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgresServer postgres;

  @TempDir Path data;
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final ch.qos.logback.classic.Logger connectorLogger =
      ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(StoreConnector.class);
  private String database;

  @BeforeAll
  static void startPostgres() throws IOException {
    postgres = EmbeddedPostgresServer.start();
  }

  @AfterAll
  static void stopPostgres() {
    postgres.close();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable closeable : toClose.reversed()) {
      closeable.close();
    }
  }

  private String freshDatabase() {
    database = "serve_" + DATABASES.incrementAndGet();
    return postgres.createDatabase(database);
  }

  private TestServer serve(String url) throws IOException {
    return serve(url, false);
  }

  private TestServer serve(String url, boolean recoverRuns) throws IOException {
    TestServer server =
        TestServer.start(data, config -> config.withPostgres(url).withRecoverRuns(recoverRuns));
    toClose.add(server);
    return server;
  }

  private static HttpResponse<String> append(TestServer server, String run, String body)
      throws IOException, InterruptedException {
    return server.post("/v1/runs/" + run + "/events", body);
  }

  /** The journal lines of {@code run} as the database holds them, in seq order. */
  private List<String> linesInTheDatabase(String run) throws SQLException {
    List<String> lines = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(database));
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "select line from events where run = '" + run + "' order by branch, seq")) {
      while (rows.next()) {
        lines.add(rows.getString(1));
      }
    }
    return lines;
  }

  private void sql(String statement) throws SQLException {
    try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(database));
        Statement sql = connection.createStatement()) {
      sql.execute(statement);
    }
  }

  @Test
  void appendAndReplay_throughTheApi_areKeptInTheDatabase_notInTheDataDirectory() throws Exception {
    TestServer server = serve(freshDatabase());

    JsonNode appended =
        ok(
            append(
                server,
                "pg-1",
                "[{\"type\":\"run.started\",\"id\":\"a\",\"data\":{\"goal\":\"x\"}},"
                    + "{\"type\":\"step\",\"data\":[1, 2.50, \"\\u00e9\"],\"meta\":{\"agent\":\"p\"}}]"),
            201);
    JsonNode replay = ok(server.get("/v1/runs/pg-1/events"), 200);
    HttpResponse<String> ndjson =
        server.send(
            server
                .request("/v1/runs/pg-1/events")
                .header("Accept", "application/x-ndjson")
                .GET()
                .build());

    assertThat(appended.path("first").asLong()).isEqualTo(1);
    assertThat(appended.path("last").asLong()).isEqualTo(2);
    assertThat(seqs(replay)).containsExactly(1L, 2L);
    assertThat(ndjson.body()).contains("\"data\":[1,2.50,\"é\"],\"meta\":{\"agent\":\"p\"}}");
    assertThat(ndjson.body().lines().toList())
        .as("replay serves the lines the database keeps")
        .isEqualTo(linesInTheDatabase("pg-1"));
    assertThat(Files.exists(data.resolve("runs"))).as("no file store").isFalse();
    assertThat(ok(server.get("/v1/runs/pg-1"), 200).path("status").asText()).isEqualTo("running");
  }

  @Test
  void duplicatesAndConflicts_answerAsOnTheFileStore() throws Exception {
    TestServer server = serve(freshDatabase());
    append(server, "pg-2", "{\"type\":\"step\",\"id\":\"s1\",\"data\":1}");

    JsonNode duplicate =
        ok(append(server, "pg-2", "{\"type\":\"step\",\"id\":\"s1\",\"data\":1}"), 200);
    JsonNode idConflict =
        problem(
            append(server, "pg-2", "{\"type\":\"step\",\"id\":\"s1\",\"data\":2}"),
            409,
            "id-conflict");
    JsonNode seqConflict =
        problem(
            server.post("/v1/runs/pg-2/events?expectedSeq=0", "{\"type\":\"step\"}"),
            409,
            "sequence-conflict");

    assertThat(Api.longs(duplicate.path("duplicates"))).containsExactly(1L);
    assertThat(idConflict.path("originalSeq").asLong()).isEqualTo(1);
    assertThat(seqConflict.path("expected").asLong()).isEqualTo(1);
    assertThat(seqConflict.path("actual").asLong()).isEqualTo(0);
  }

  @Test
  void readyz_is503WhileTheDatabaseDoesNotAnswer_andTurns200OnceItDoes() throws Exception {
    connectorLogger.setLevel(Level.WARN); // the tests' logback config keeps io.runjournal at ERROR
    toClose.add(() -> connectorLogger.setLevel(null));
    freshDatabase();
    TcpGate gate = TcpGate.shutInFrontOf(postgres.port());
    toClose.add(gate);
    TestServer server = serve("postgresql://postgres@127.0.0.1:" + gate.port() + "/" + database);

    HttpResponse<String> health = server.get("/healthz");
    HttpResponse<String> notReady = server.get("/readyz");
    JsonNode write = problem(append(server, "later", "{\"type\":\"step\"}"), 503, "unavailable");
    JsonNode read = problem(server.get("/v1/runs/later/events"), 503, "unavailable");

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(notReady.statusCode()).isEqualTo(503);
    assertThat(notReady.body()).isEqualTo("{\"ready\":false}");
    assertThat(write.path("detail").asText())
        .contains("127.0.0.1:" + gate.port(), "is not open yet", "attempt", "/readyz");
    assertThat(write.path("attempts").asInt()).isGreaterThanOrEqualTo(1);
    assertThat(read.path("title").asText()).isEqualTo("Store is not open");
    assertThat(server.server().isReady()).isFalse();

    gate.open();
    await("ready once the database answers")
        .atMost(60, TimeUnit.SECONDS)
        .until(() -> server.get("/readyz").statusCode() == 200);

    ok(append(server, "later", "{\"type\":\"step\"}"), 201);
    assertThat(seqs(ok(server.get("/v1/runs/later/events"), 200))).containsExactly(1L);
    server.server().flushServerLog();
    Path log = data.resolve("logs/runjournal.jsonl");
    await("the server log says why it waited")
        .atMost(30, TimeUnit.SECONDS)
        .until(
            () ->
                Files.exists(log)
                    && Files.readString(log, StandardCharsets.UTF_8).contains("cannot open"));
    assertThat(Files.readString(log, StandardCharsets.UTF_8))
        .contains("127.0.0.1:" + gate.port() + "/" + database);
  }

  @Test
  void closing_whileTheDatabaseDoesNotAnswer_stopsRetryingAndReturns() throws Exception {
    freshDatabase();
    TcpGate gate = TcpGate.shutInFrontOf(postgres.port());
    toClose.add(gate);
    TestServer server =
        TestServer.start(
            data,
            config ->
                config.withPostgres(
                    "postgresql://postgres@127.0.0.1:" + gate.port() + "/" + database));

    URI healthz = server.uri("/healthz");
    server.close();

    assertThat(server.server().isReady()).isFalse();
    assertThatThrownBy(() -> server.server().journal())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is not open yet");
    assertThatThrownBy(() -> server.send(HttpRequest.newBuilder(healthz).build()))
        .as("not listening any more")
        .isInstanceOf(IOException.class);
  }

  /** Runs written before the server starts, as another node (or a crashed one) left them. */
  private void before(String url, java.util.function.Consumer<Journal> writes) {
    try (Journal journal = PostgresJournal.open(PostgresOptions.of(url))) {
      writes.accept(journal);
    }
  }

  @Test
  void recovery_onPostgres_appendsNothing_byDefault_becauseAnotherNodeMayServeTheRun()
      throws Exception {
    String url = freshDatabase();
    before(
        url,
        journal -> {
          journal.append("open-1", AppendRequest.of(List.of(NewEvent.of("run.started"))));
          journal.append("done-1", AppendRequest.of(List.of(NewEvent.of("run.completed"))));
        });
    sql("update runs set active = true where run = 'done-1'"); // a flag left behind

    TestServer server = serve(url);

    JsonNode recovery = ok(server.get("/v1/recovery"), 200);
    assertThat(recovery.path("state").asText()).isEqualTo("done");
    assertThat(recovery.path("report").path("runsChecked").asInt()).isEqualTo(2);
    assertThat(recovery.path("report").path("recovered")).isEmpty();
    assertThat(recovery.path("report").path("markersReleased").toString())
        .isEqualTo("[\"done-1\"]");
    assertThat(server.server().journal().activeRuns()).containsExactly("open-1");
    assertThat(server.server().journal().read("open-1", io.runjournal.ReadQuery.all()).events())
        .extracting(Event::type)
        .containsExactly("run.started");
    ok(append(server, "open-1", "{\"type\":\"step\"}"), 201);
  }

  @Test
  void recovery_onPostgres_withRecoverRuns_appendsRunRecoveredToEachActiveRun() throws Exception {
    String url = freshDatabase();
    before(url, journal -> journal.append("open-2", NewEvent.of("run.started")));

    TestServer server = serve(url, /* recoverRuns= */ true);

    JsonNode recovery = ok(server.get("/v1/recovery"), 200);
    assertThat(recovery.path("report").path("recovered").toString()).isEqualTo("[\"open-2\"]");
    List<Event> events =
        server.server().journal().read("open-2", io.runjournal.ReadQuery.all()).events();
    assertThat(events).extracting(Event::type).containsExactly("run.started", "run.recovered");
    assertThat(events.get(1).data()).startsWith("{\"head\":1,\"tornBytes\":0,");
  }
}
