package io.runjournal.server;

import static io.runjournal.server.Api.ok;
import static io.runjournal.server.Api.problem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code POST /v1/runs}, {@code GET /v1/runs/{run}} and {@code GET /v1/runs} over real HTTP. */
class RunsApiTest {
  @TempDir Path data;
  private TestServer server;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.start(data);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private JsonNode create(String body) throws Exception {
    return ok(server.post("/v1/runs", body), 201);
  }

  private JsonNode list(String query) throws Exception {
    return ok(server.get("/v1/runs" + query), 200);
  }

  private static List<String> ids(JsonNode listing) {
    List<String> ids = new ArrayList<>();
    listing.path("runs").forEach(run -> ids.add(run.path("id").asText()));
    return ids;
  }

  /** Follows {@code next} from the first page of {@code query} to the end. */
  private List<String> allPages(String query, List<Integer> pageSizes) throws Exception {
    List<String> all = new ArrayList<>();
    String cursor = "";
    for (int pages = 0; pages < 100; pages++) {
      JsonNode page = list(query + cursor);
      all.addAll(ids(page));
      pageSizes.add(page.path("runs").size());
      if (page.path("next").isNull()) {
        return all;
      }
      cursor = "&cursor=" + URLEncoder.encode(page.path("next").asText(), StandardCharsets.UTF_8);
    }
    throw new AssertionError("no last page after 100 pages: " + all);
  }

  /** Waits (spinning, at most a millisecond) until the clock has passed {@code instant}. */
  private static void tickPast(Instant instant) {
    while (System.currentTimeMillis() <= instant.toEpochMilli()) {
      Thread.onSpinWait();
    }
  }

  @Test
  void create_withIdAndMeta_answers201AndAppendsRunCreated() throws Exception {
    HttpResponse<String> response =
        server.post("/v1/runs", "{\"id\":\"pipe-01\",\"meta\":{\"agent\":\"planner\",\"n\":1}}");

    JsonNode summary = ok(response, 201);
    assertThat(response.headers().firstValue("Location")).hasValue("/v1/runs/pipe-01");
    assertThat(summary.path("id").asText()).isEqualTo("pipe-01");
    assertThat(summary.path("status").asText()).isEqualTo("pending");
    assertThat(summary.path("head").path("main").asLong()).isEqualTo(1);
    assertThat(summary.path("eventCount").asLong()).isEqualTo(1);

    JsonNode event = ok(server.get("/v1/runs/pipe-01/events"), 200).path("events").get(0);
    assertThat(event.path("type").asText()).isEqualTo("run.created");
    assertThat(event.path("meta").toString()).isEqualTo("{\"agent\":\"planner\",\"n\":1}");
  }

  @Test
  void create_withoutBodyOrId_generatesASortableId() throws Exception {
    JsonNode empty = ok(server.post("/v1/runs", ""), 201);
    JsonNode object = create("{}");

    for (JsonNode summary : List.of(empty, object)) {
      assertThat(summary.path("id").asText()).matches("[0-9A-HJKMNP-TV-Z]{26}");
    }
    assertThat(empty.path("id").asText()).isNotEqualTo(object.path("id").asText());
    ok(server.get("/v1/runs/" + object.path("id").asText()), 200);
  }

  @Test
  void create_withoutId_idsSortByCreationAcrossMilliseconds() throws Exception {
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      JsonNode summary = create("{}");
      created.add(summary.path("id").asText());
      tickPast(Instant.parse(summary.path("lastEventAt").asText()));
    }

    assertThat(created).isSortedAccordingTo(Comparator.naturalOrder());
    assertThat(ids(list(""))).isEqualTo(created);
  }

  @Test
  void create_existingRun_is409() throws Exception {
    create("{\"id\":\"dup\"}");

    JsonNode problem = problem(server.post("/v1/runs", "{\"id\":\"dup\"}"), 409, "run-exists");

    assertThat(problem.path("run").asText()).isEqualTo("dup");
    assertThat(problem.path("detail").asText()).contains("dup");
    assertThat(ok(server.get("/v1/runs/dup/events"), 200).path("head").asLong()).isEqualTo(1);
  }

  @Test
  void create_runThatAlreadyHasEvents_is409() throws Exception {
    ok(server.post("/v1/runs/busy/events", "{\"type\":\"a\"}"), 201);

    problem(server.post("/v1/runs", "{\"id\":\"busy\"}"), 409, "run-exists");
  }

  @Test
  void create_endedRun_is409() throws Exception {
    ok(server.post("/v1/runs/done/events", "{\"type\":\"run.completed\"}"), 201);

    problem(server.post("/v1/runs", "{\"id\":\"done\"}"), 409, "run-exists");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[]",
        "\"x\"",
        "{\"id\":7}",
        "{\"id\":null}",
        "{\"meta\":[1]}",
        "{\"meta\":\"m\"}",
        "{\"id\":",
        "not json"
      })
  void create_withABadBody_is400(String body) throws Exception {
    problem(server.post("/v1/runs", body), 400, "invalid-request");

    assertThat(ids(list(""))).isEmpty();
  }

  @Test
  void create_withAnInvalidId_is400InvalidRunId() throws Exception {
    problem(server.post("/v1/runs", "{\"id\":\"../etc\"}"), 400, "invalid-run-id");

    assertThat(data.resolve("etc")).doesNotExist();
    assertThat(ids(list(""))).isEmpty();
  }

  @Test
  void get_existingRun_isItsSummary() throws Exception {
    ok(server.post("/v1/runs/r1/events?branch=alt", "{\"type\":\"x\"}"), 201);
    ok(server.post("/v1/runs/r1/events", "[{\"type\":\"a\"},{\"type\":\"run.failed\"}]"), 201);

    JsonNode summary = ok(server.get("/v1/runs/r1"), 200);

    assertThat(summary.path("id").asText()).isEqualTo("r1");
    assertThat(summary.path("status").asText()).isEqualTo("failed");
    assertThat(summary.path("endedBy").asText()).isEqualTo("run.failed");
    assertThat(summary.path("head").path("main").asLong()).isEqualTo(2);
    assertThat(summary.path("head").path("alt").asLong()).isEqualTo(1);
    assertThat(summary.path("eventCount").asLong()).isEqualTo(3);
    assertThat(summary.path("lastEventAt").asText()).isNotBlank();
  }

  @Test
  void get_missingRun_is404() throws Exception {
    problem(server.get("/v1/runs/missing"), 404, "not-found");
    assertThat(data.resolve("runs").resolve("missing")).doesNotExist();
  }

  @Test
  void list_pagesWithCursor_everyRunExactlyOnceInIdOrder() throws Exception {
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      String run = String.format("page-%02d", i);
      expected.add(run);
      create("{\"id\":\"" + run + "\"}");
    }
    create("{\"id\":\"other-1\"}");
    create("{\"id\":\"zzz\"}");

    List<Integer> sizes = new ArrayList<>();
    List<String> paged = allPages("?prefix=page-&limit=7", sizes);

    assertThat(paged).isEqualTo(expected);
    assertThat(sizes).containsExactly(7, 7, 7, 4);
    List<String> everything = allPages("?limit=10", new ArrayList<>());
    assertThat(everything).hasSize(27).doesNotHaveDuplicates().isSorted();
  }

  @Test
  void list_limitThatDividesTheRuns_endsWithoutAnEmptyPage() throws Exception {
    for (int i = 0; i < 6; i++) {
      create("{\"id\":\"r" + i + "\"}");
    }

    List<Integer> sizes = new ArrayList<>();
    assertThat(allPages("?limit=3", sizes)).hasSize(6);
    assertThat(sizes).containsExactly(3, 3);
  }

  @Test
  void list_statusFilter_withPaging() throws Exception {
    for (int i = 0; i < 12; i++) {
      create("{\"id\":\"s-" + String.format("%02d", i) + "\"}");
    }
    ok(server.post("/v1/runs/s-03/events", "{\"type\":\"run.completed\"}"), 201);
    ok(server.post("/v1/runs/s-07/events", "{\"type\":\"run.completed\"}"), 201);
    ok(server.post("/v1/runs/s-11/events", "{\"type\":\"run.failed\"}"), 201);

    assertThat(ids(list("?status=succeeded"))).containsExactly("s-03", "s-07");
    assertThat(ids(list("?status=failed"))).containsExactly("s-11");
    // Created and nothing else: pending until an event other than run.created arrives.
    List<String> pending = allPages("?status=pending&limit=4", new ArrayList<>());
    assertThat(pending).hasSize(9).doesNotContain("s-03", "s-07", "s-11").isSorted();
  }

  @Test
  void list_orderRecent_putsTheLatestActivityFirst() throws Exception {
    create("{\"id\":\"a\"}");
    create("{\"id\":\"b\"}");
    JsonNode c = create("{\"id\":\"c\"}");
    tickPast(Instant.parse(c.path("lastEventAt").asText()));
    ok(server.post("/v1/runs/a/events", "{\"type\":\"touch\"}"), 201);

    assertThat(ids(list("?order=recent")).get(0)).isEqualTo("a");
    assertThat(ids(list("?order=id"))).containsExactly("a", "b", "c");
  }

  @Test
  void list_orderRecentPaged_everyRunExactlyOnceNewestFirst() throws Exception {
    for (int i = 0; i < 25; i++) {
      create("{\"id\":\"n" + String.format("%02d", i) + "\"}");
    }

    List<String> paged = allPages("?order=recent&limit=4", new ArrayList<>());

    assertThat(paged).hasSize(25).doesNotHaveDuplicates();
    List<Instant> times = new ArrayList<>();
    for (String run : paged) {
      times.add(Instant.parse(ok(server.get("/v1/runs/" + run), 200).path("lastEventAt").asText()));
    }
    assertThat(times).isSortedAccordingTo(Comparator.reverseOrder());
  }

  @ParameterizedTest
  @ValueSource(strings = {"limit=0", "limit=1001", "limit=x", "order=newest", "status=done"})
  void list_badParameter_is400NamingIt(String query) throws Exception {
    JsonNode problem = problem(server.get("/v1/runs?" + query), 400, "invalid-request");

    assertThat(problem.path("detail").asText()).startsWith(query.substring(0, query.indexOf('=')));
  }

  @Test
  void list_badCursor_is400() throws Exception {
    create("{\"id\":\"a\"}");
    create("{\"id\":\"b\"}");
    String idCursor = list("?limit=1").path("next").asText();
    String escaping =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("i:../x".getBytes(StandardCharsets.UTF_8));

    for (String query :
        List.of(
            "?cursor=garbage!!",
            "?cursor=" + escaping,
            "?order=recent&cursor=" + idCursor,
            "?cursor=cjpub3RhbnVtYmVyOmE")) {
      JsonNode problem = problem(server.get("/v1/runs" + query), 400, "invalid-request");
      assertThat(problem.path("detail").asText()).as(query).contains("cursor");
    }
  }
}
