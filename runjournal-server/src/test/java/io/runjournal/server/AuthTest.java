package io.runjournal.server;

import static io.runjournal.server.Api.ok;
import static io.runjournal.server.Api.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.runjournal.server.auth.TokenFile;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

/** Token auth over real HTTP: scopes, sessions, public endpoints, secrets kept out of output. */
class AuthTest {
  private static final String READ_TOKEN = "read-token-7f3a9c2e51d8b460";
  private static final String APPEND_TOKEN = "append-token-c4e8a1f05b9d3276";
  private static final String ADMIN_TOKEN = "admin-token-9b2d6e0a4f1c8357";
  private static final String HASHED_TOKEN = "hashed-token-5e7c3a9b1d0f2468";
  private static final List<String> SECRETS =
      List.of(READ_TOKEN, APPEND_TOKEN, ADMIN_TOKEN, HASHED_TOKEN);

  @TempDir Path data;
  @TempDir Path config;
  private Path tokenFile;
  private TestServer server;
  private final List<HttpResponse<String>> responses = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    tokenFile = config.resolve("tokens");
    Files.writeString(
        tokenFile,
        String.join(
            "\n",
            "# name scope secret",
            "reader read " + READ_TOKEN,
            "",
            "writer   append\t" + APPEND_TOKEN,
            "boss admin " + ADMIN_TOKEN,
            "hashed append " + TokenFile.sha256Secret(HASHED_TOKEN),
            ""));
    server = TestServer.start(data, c -> c.withTokenFile(tokenFile));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    HttpResponse<String> response = server.send(request.build());
    responses.add(response);
    return response;
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request = server.request(path).GET();
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return send(request);
  }

  private HttpResponse<String> post(String path, String body, String... headers) throws Exception {
    HttpRequest.Builder request =
        server
            .request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return send(request);
  }

  private static String[] bearer(String token) {
    return new String[] {"Authorization", "Bearer " + token};
  }

  /** The {@code name=value} of the session cookie a login set. */
  private static String sessionCookie(HttpResponse<String> login) {
    String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  @Test
  void noToken_is401WithWwwAuthenticate() throws Exception {
    HttpResponse<String> response = get("/v1/runs/r1/events");

    JsonNode problem = problem(response, 401, "unauthorized");
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(value -> assertThat(value).startsWith("Bearer"));
    assertThat(problem.path("detail").asText()).contains("read");
    problem(post("/v1/runs/r1/events", "{\"type\":\"a\"}"), 401, "unauthorized");
    problem(post("/v1/runs", "{}"), 401, "unauthorized");
    problem(get("/v1/runs"), 401, "unauthorized");
    problem(get("/metrics"), 401, "unauthorized");
    assertThat(data.resolve("runs")).doesNotExist();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Authorization | Bearer wrong-token-0000000000000",
        "Authorization | Bearer " + READ_TOKEN + "x",
        "Authorization | Bearer " + "sha256:0000",
        "Authorization | Basic cmVhZGVyOnJlYWQ=",
        "Authorization | Bearer",
        "Cookie | runjournal_session=forged-session-id",
      })
  void wrongCredentials_are401(String header, String value) throws Exception {
    HttpResponse<String> response = get("/v1/runs/r1/events", header, value);

    problem(response, 401, "unauthorized");
    assertThat(response.headers().firstValue("WWW-Authenticate")).isPresent();
  }

  @Test
  void hashOfAToken_isNotAToken() throws Exception {
    String hash = TokenFile.sha256Secret(HASHED_TOKEN);

    problem(get("/v1/runs/r1/events", bearer(hash)), 401, "unauthorized");
    problem(get("/v1/runs/r1/events", bearer(hash.substring(7))), 401, "unauthorized");
  }

  @Test
  void readToken_canReplayButNotAppend() throws Exception {
    ok(post("/v1/runs/r1/events", "{\"type\":\"a\"}", bearer(ADMIN_TOKEN)), 201);

    ok(get("/v1/runs/r1/events", bearer(READ_TOKEN)), 200);
    ok(get("/v1/runs/r1", bearer(READ_TOKEN)), 200);
    ok(get("/v1/runs", bearer(READ_TOKEN)), 200);
    assertThat(get("/metrics", bearer(READ_TOKEN)).statusCode()).isEqualTo(200);

    JsonNode forbidden =
        problem(
            post("/v1/runs/r1/events", "{\"type\":\"b\"}", bearer(READ_TOKEN)), 403, "forbidden");
    assertThat(forbidden.path("detail").asText()).contains("reader", "read", "append");
    problem(post("/v1/runs", "{\"id\":\"r2\"}", bearer(READ_TOKEN)), 403, "forbidden");
    JsonNode replay = ok(get("/v1/runs/r1/events", bearer(READ_TOKEN)), 200);
    assertThat(replay.path("head").asLong()).isEqualTo(1);
    problem(get("/v1/runs/r2", bearer(READ_TOKEN)), 404, "not-found");
  }

  @Test
  void appendToken_canAppendCreateAndRead() throws Exception {
    ok(post("/v1/runs/r1/events", "{\"type\":\"a\"}", bearer(APPEND_TOKEN)), 201);
    ok(post("/v1/runs", "{\"id\":\"r2\"}", bearer(APPEND_TOKEN)), 201);

    assertThat(Api.seqs(ok(get("/v1/runs/r1/events", bearer(APPEND_TOKEN)), 200)))
        .containsExactly(1L);
  }

  @Test
  void adminToken_canDoEverything() throws Exception {
    ok(post("/v1/runs", "{\"id\":\"r1\"}", bearer(ADMIN_TOKEN)), 201);
    ok(post("/v1/runs/r1/events", "{\"type\":\"a\"}", bearer(ADMIN_TOKEN)), 201);
    ok(get("/v1/runs/r1/events", bearer(ADMIN_TOKEN)), 200);
    ok(get("/v1/runs", bearer(ADMIN_TOKEN)), 200);
    ok(get("/v1/runs/r1", bearer(ADMIN_TOKEN)), 200);
    assertThat(get("/metrics", bearer(ADMIN_TOKEN)).statusCode()).isEqualTo(200);
    JsonNode me = ok(get("/v1/auth/me", bearer(ADMIN_TOKEN)), 200);
    assertThat(me.path("name").asText()).isEqualTo("boss");
    assertThat(me.path("scope").asText()).isEqualTo("admin");
  }

  @Test
  void sha256Secret_authenticatesItsToken() throws Exception {
    ok(post("/v1/runs/r1/events", "{\"type\":\"a\"}", bearer(HASHED_TOKEN)), 201);

    JsonNode me = ok(get("/v1/auth/me", bearer(HASHED_TOKEN)), 200);
    assertThat(me.path("name").asText()).isEqualTo("hashed");
    assertThat(me.path("scope").asText()).isEqualTo("append");
  }

  @Test
  void loginWithBearer_setsAStrictHttpOnlyCookieThatAuthorisesReads() throws Exception {
    ok(post("/v1/runs/r1/events", "{\"type\":\"a\"}", bearer(ADMIN_TOKEN)), 201);

    HttpResponse<String> login = post("/v1/auth/login", "", bearer(READ_TOKEN));

    JsonNode me = ok(login, 200);
    assertThat(me.path("name").asText()).isEqualTo("reader");
    assertThat(me.path("scope").asText()).isEqualTo("read");
    assertThat(me.path("authEnabled").asBoolean()).isTrue();
    String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie)
        .startsWith("runjournal_session=")
        .contains("HttpOnly", "SameSite=Strict", "Path=/")
        .doesNotContain(READ_TOKEN);
    String cookie = sessionCookie(login);
    assertThat(cookie.length()).isGreaterThan("runjournal_session=".length() + 20);

    ok(get("/v1/runs/r1/events", "Cookie", cookie), 200);
    ok(get("/v1/runs", "Cookie", cookie), 200);
    assertThat(ok(get("/v1/auth/me", "Cookie", cookie), 200).path("name").asText())
        .isEqualTo("reader");
    problem(post("/v1/runs/r1/events", "{\"type\":\"b\"}", "Cookie", cookie), 403, "forbidden");
  }

  @Test
  void loginWithTokenInBody_setsACookie() throws Exception {
    HttpResponse<String> login = post("/v1/auth/login", "{\"token\":\"" + APPEND_TOKEN + "\"}");

    assertThat(ok(login, 200).path("name").asText()).isEqualTo("writer");
    String cookie = sessionCookie(login);
    ok(get("/v1/runs/r1/events", "Cookie", cookie), 200);
  }

  @Test
  void loginWithWrongToken_is401WithoutCookie() throws Exception {
    HttpResponse<String> byBody = post("/v1/auth/login", "{\"token\":\"nope-nope-nope-nope\"}");
    HttpResponse<String> byHeader = post("/v1/auth/login", "", bearer("nope-nope-nope-nope"));

    for (HttpResponse<String> response : List.of(byBody, byHeader)) {
      problem(response, 401, "unauthorized");
      assertThat(response.headers().firstValue("Set-Cookie")).isEmpty();
      assertThat(response.headers().firstValue("WWW-Authenticate")).isPresent();
    }
    problem(post("/v1/auth/login", ""), 400, "invalid-request");
    problem(post("/v1/auth/login", "{\"token\":7}"), 400, "invalid-request");
    problem(post("/v1/auth/login", "{\"token\":"), 400, "invalid-request");
  }

  @Test
  void logout_clearsTheCookieAndEndsTheSession() throws Exception {
    String cookie = sessionCookie(post("/v1/auth/login", "", bearer(READ_TOKEN)));
    ok(get("/v1/runs", "Cookie", cookie), 200);

    HttpResponse<String> logout = post("/v1/auth/logout", "", "Cookie", cookie);

    assertThat(logout.statusCode()).isEqualTo(204);
    assertThat(logout.headers().firstValue("Set-Cookie"))
        .hasValueSatisfying(
            value -> assertThat(value).contains("runjournal_session=;", "Max-Age=0"));
    problem(get("/v1/runs", "Cookie", cookie), 401, "unauthorized");
    problem(get("/v1/auth/me", "Cookie", cookie), 401, "unauthorized");
  }

  @Test
  void publicEndpoints_needNoToken() throws Exception {
    assertThat(get("/healthz").statusCode()).isEqualTo(200);
    assertThat(get("/readyz").statusCode()).isEqualTo(200);
    assertThat(ok(get("/openapi.json"), 200).path("openapi").asText()).startsWith("3.1");
    HttpResponse<String> me = get("/v1/auth/me");
    problem(me, 401, "unauthorized");
    assertThat(me.headers().firstValue("WWW-Authenticate")).isPresent();
  }

  @Test
  void tokens_neverAppearInResponsesOrLogs() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Logger ours = (Logger) LoggerFactory.getLogger("io.runjournal");
    Level rootLevel = root.getLevel();
    Level ourLevel = ours.getLevel();
    List<Appender<ILoggingEvent>> consoles = new ArrayList<>();
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      consoles.add(it.next());
    }
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    consoles.forEach(root::detachAppender);
    root.addAppender(captured);
    root.setLevel(Level.INFO);
    ours.setLevel(Level.TRACE);
    try {
      server.close();
      server = TestServer.start(data, c -> c.withTokenFile(tokenFile));
      exerciseEveryCredentialPath();
      server.close();
    } finally {
      root.detachAppender(captured);
      consoles.forEach(root::addAppender);
      root.setLevel(rootLevel);
      ours.setLevel(ourLevel);
    }

    assertThat(captured.list).as("the server logged at start and stop").isNotEmpty();
    for (ILoggingEvent event : captured.list) {
      String text =
          event.getFormattedMessage()
              + (event.getThrowableProxy() == null
                  ? ""
                  : ThrowableProxyUtil.asString(event.getThrowableProxy()));
      for (String secret : SECRETS) {
        assertThat(text).as("log line").doesNotContain(secret);
      }
    }
    assertThat(responses).hasSizeGreaterThan(10);
    for (HttpResponse<String> response : responses) {
      for (String secret : SECRETS) {
        assertThat(response.body()).as(Api.describe(response)).doesNotContain(secret);
        assertThat(response.headers().map().toString())
            .as(Api.describe(response))
            .doesNotContain(secret);
      }
    }
  }

  private void exerciseEveryCredentialPath() throws Exception {
    for (String token : SECRETS) {
      get("/v1/runs/r1/events", bearer(token));
      post("/v1/runs/r1/events", "{\"type\":\"a\"}", bearer(token));
      get("/v1/runs/r1/events", bearer(token + "-wrong"));
      get("/v1/runs/r1/events", bearer(token.substring(0, 10)));
      post("/v1/auth/login", "{\"token\":\"" + token + "\"}");
      post("/v1/auth/login", "{\"token\":\"" + token + "-wrong\"}");
      post("/v1/auth/login", "{\"token\":\"" + token + "\"", bearer(token + "!"));
      post("/v1/auth/login", "{\"token\":\"" + token + "\", broken");
      get("/v1/auth/me", bearer(token));
    }
    get("/v1/runs/r1/events", "Cookie", "runjournal_session=" + READ_TOKEN);
  }

  @Test
  void start_onAllInterfacesWithoutTokens_isRefusedUnlessInsecure() throws Exception {
    ServerConfig open =
        ServerConfig.defaults(config.resolve("open")).withBind("0.0.0.0").withPort(0);

    assertThatThrownBy(() -> RunJournalServer.start(open))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0.0.0.0")
        .hasMessageContaining("--token-file")
        .hasMessageContaining("--insecure");
    assertThat(config.resolve("open")).doesNotExist();

    try (RunJournalServer insecure = RunJournalServer.start(open.withInsecure(true))) {
      assertThat(insecure.url().getHost()).isEqualTo("127.0.0.1");
    }
    try (RunJournalServer withTokens = RunJournalServer.start(open.withTokenFile(tokenFile))) {
      assertThat(withTokens.port()).isPositive();
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "ci writer SECRET-0123456789abcdef | scope",
        "ci SECRET-0123456789abcdef read | scope",
        "ci read SECRET-short | 16 characters",
        "ci read SECRET-0123456789abcdef extra | 3 fields",
        "ci SECRET-0123456789abcdef | 3 fields",
        "ci read sha256:SECRET-0123456789abcdef | 64 hex",
        "reader read SECRET-0123456789abcdef | repeated",
      })
  void start_withMalformedTokenFile_failsNamingTheLineNotTheSecret(String line, String reason)
      throws Exception {
    Path bad = config.resolve("bad-tokens");
    Files.writeString(bad, "# tokens\nreader read " + READ_TOKEN + "\n" + line + "\n");
    ServerConfig withBadFile =
        ServerConfig.defaults(config.resolve("d")).withTokenFile(bad).withPort(0);

    assertThatThrownBy(() -> RunJournalServer.start(withBadFile))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(bad + ":3:")
        .hasMessageContaining(reason)
        .satisfies(error -> assertNoSecretInChain(error, "SECRET", READ_TOKEN));
  }

  @Test
  void start_withEmptyTokenFile_fails() throws Exception {
    Path empty = config.resolve("empty");
    Files.writeString(empty, "# nobody\n\n");

    assertThatThrownBy(
            () ->
                RunJournalServer.start(
                    ServerConfig.defaults(config.resolve("d")).withTokenFile(empty).withPort(0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no tokens");
  }

  @Test
  void start_withMissingTokenFile_failsWithIoError() {
    Path missing = config.resolve("missing");

    assertThatThrownBy(
            () ->
                RunJournalServer.start(
                    ServerConfig.defaults(config.resolve("d")).withTokenFile(missing).withPort(0)))
        .isInstanceOf(IOException.class);
  }

  private static void assertNoSecretInChain(Throwable error, String... secrets) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      for (String secret : secrets) {
        assertThat(String.valueOf(t.getMessage())).as("message of " + t).doesNotContain(secret);
      }
    }
  }
}
