package io.runjournal.server;

import static io.runjournal.server.Api.json;
import static io.runjournal.server.Api.ok;
import static io.runjournal.server.Api.problem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /v1/runs/{run}/export} and {@code POST /v1/runs/import} over real HTTP between two
 * servers on two data directories (DESIGN §6, §8; issue 4): an import of an export reproduces the
 * run's journal byte for byte.
 */
class ExportImportApiTest {
  private static final String RUN = "pipe-01";

  @TempDir Path sourceData;
  @TempDir Path targetData;
  private TestServer source;
  private TestServer target;

  @BeforeEach
  void start() throws Exception {
    source = TestServer.start(sourceData);
    target = TestServer.start(targetData);
  }

  @AfterEach
  void stop() {
    source.close();
    target.close();
  }

  /** Two branches, ids, unicode data, meta, and a terminal event. */
  private void writeRun(TestServer server, String run) throws Exception {
    ok(server.post("/v1/runs", "{\"id\":\"" + run + "\",\"meta\":{\"owner\":\"ops\"}}"), 201);
    append(
        server,
        run,
        "",
        "{\"type\":\"run.started\",\"id\":\"s-1\",\"data\":{\"goal\":\"ünï ✓ 😀\"}}");
    append(
        server,
        run,
        "?branch=retry-1",
        "[{\"type\":\"tool.called\",\"data\":[1, 2.50, {\"q\":\"\\\"x\\\"\"}],"
            + "\"meta\":{\"agent\":\"planner\",\"spanId\":\"s9\"}},"
            + "{\"type\":\"progress.reported\",\"id\":\"p-1\",\"data\":{\"completed\":1,\"total\":2}}]");
    append(server, run, "", "{\"type\":\"decision.made\",\"data\":{\"confidence\":0.75}}");
    append(server, run, "", "{\"type\":\"run.completed\",\"data\":{\"ok\":true}}");
  }

  private void append(TestServer server, String run, String query, String body) throws Exception {
    ok(server.post("/v1/runs/" + run + "/events" + query, body), 201);
  }

  private static byte[] journal(Path data, String run) throws Exception {
    return Files.readAllBytes(data.resolve("runs").resolve(run).resolve("events.jsonl"));
  }

  private HttpResponse<String> importBody(TestServer server, String query, String body)
      throws Exception {
    return server.send(
        server
            .request("/v1/runs/import" + query)
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build());
  }

  private static Map<String, Long> branches(JsonNode bundle) {
    Map<String, Long> heads = new TreeMap<>();
    bundle.path("branches").properties().forEach(e -> heads.put(e.getKey(), e.getValue().asLong()));
    return heads;
  }

  @Test
  void export_byDefault_holdsEveryEventAsStored_withProjectionMetricsAndBranches()
      throws Exception {
    writeRun(source, RUN);
    String file = new String(journal(sourceData, RUN), StandardCharsets.UTF_8);

    HttpResponse<String> response = source.get("/v1/runs/" + RUN + "/export");
    JsonNode bundle = ok(response, 200);

    assertThat(bundle.path("format").asText()).isEqualTo("runjournal.export/v1");
    assertThat(bundle.path("run").asText()).isEqualTo(RUN);
    assertThat(bundle.path("exportedAt").asText()).matches("\\d{4}-.*Z");
    assertThat(bundle.path("projection")).isEqualTo(ok(source.get("/v1/runs/" + RUN), 200));
    assertThat(bundle.path("metrics").path("eventCount").asLong()).isEqualTo(6);
    assertThat(bundle.path("metrics").path("bytes").asLong())
        .isEqualTo(file.getBytes(StandardCharsets.UTF_8).length);
    assertThat(bundle.path("metrics").path("durationMs").isIntegralNumber()).isTrue();
    assertThat(bundle.path("events")).hasSize(6);
    assertThat(branches(bundle)).isEqualTo(Map.of("main", 4L, "retry-1", 2L));
    assertThat(response.body()).contains("\"events\":[" + file.strip().replace("\n", ",") + "]");
  }

  @Test
  void export_withEventsFalse_omitsThem_andWithLimit_holdsTheFirstN() throws Exception {
    writeRun(source, RUN);
    List<String> lines =
        new String(journal(sourceData, RUN), StandardCharsets.UTF_8).lines().toList();

    JsonNode without = ok(source.get("/v1/runs/" + RUN + "/export?events=false"), 200);
    JsonNode limited = ok(source.get("/v1/runs/" + RUN + "/export?limit=3"), 200);

    assertThat(without.has("events")).isFalse();
    assertThat(without.has("projection")).isTrue();
    assertThat(branches(without)).isEqualTo(Map.of("main", 4L, "retry-1", 2L));
    assertThat(limited.path("events")).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(limited.path("events").get(i)).isEqualTo(Api.parse(lines.get(i)));
    }
    assertThat(branches(limited)).isEqualTo(Map.of("main", 2L, "retry-1", 1L));
    assertThat(limited.path("metrics").path("eventCount").asLong()).isEqualTo(6);
  }

  @Test
  void export_asJsonl_isTheJournalFile_asADownload() throws Exception {
    writeRun(source, RUN);

    HttpResponse<byte[]> response =
        source
            .http()
            .send(
                source.request("/v1/runs/" + RUN + "/export?format=jsonl").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
    assertThat(response.headers().firstValue("Content-Disposition"))
        .hasValue("attachment; filename=\"" + RUN + ".jsonl\"");
    assertThat(response.body()).isEqualTo(journal(sourceData, RUN));
  }

  @Test
  void export_ofAMissingRun_is404_andBadParametersAre400() throws Exception {
    problem(source.get("/v1/runs/nope/export"), 404, "not-found");
    writeRun(source, RUN);
    problem(source.get("/v1/runs/" + RUN + "/export?format=xml"), 400, "invalid-request");
    problem(source.get("/v1/runs/" + RUN + "/export?limit=0"), 400, "invalid-request");
    problem(source.get("/v1/runs/" + RUN + "/export?events=maybe"), 400, "invalid-request");
    problem(
        source.get("/v1/runs/" + RUN + "/export?format=jsonl&events=false"),
        400,
        "invalid-request");
  }

  @Test
  void import_ofAnExport_reproducesTheRunByteForByte_andItsSummary() throws Exception {
    writeRun(source, RUN);
    String bundle = source.get("/v1/runs/" + RUN + "/export").body();

    HttpResponse<String> response = importBody(target, "", bundle);

    JsonNode summary = ok(response, 201);
    assertThat(response.headers().firstValue("Location")).hasValue("/v1/runs/" + RUN);
    assertThat(journal(targetData, RUN)).isEqualTo(journal(sourceData, RUN));
    assertThat(summary).isEqualTo(ok(source.get("/v1/runs/" + RUN), 200));
    assertThat(ok(target.get("/v1/runs/" + RUN), 200)).isEqualTo(summary);
    assertThat(summary.path("status").asText()).isEqualTo("succeeded");
    problem(target.post("/v1/runs/" + RUN + "/events", "{\"type\":\"late\"}"), 409, "run-ended");
  }

  @Test
  void import_ofAJsonlDownload_reproducesTheRun_andCanRenameIt() throws Exception {
    writeRun(source, RUN);
    String lines = source.get("/v1/runs/" + RUN + "/export?format=jsonl").body();

    ok(importBody(target, "", lines), 201);
    JsonNode copy = ok(importBody(target, "?run=copy-7", lines), 201);

    assertThat(journal(targetData, RUN)).isEqualTo(journal(sourceData, RUN));
    assertThat(new String(journal(targetData, "copy-7"), StandardCharsets.UTF_8))
        .isEqualTo(lines.replace("\"run\":\"" + RUN + "\"", "\"run\":\"copy-7\""));
    assertThat(copy.path("id").asText()).isEqualTo("copy-7");
    assertThat(copy.path("eventCount").asLong()).isEqualTo(6);
  }

  @Test
  void importingTheSameBundleTwice_changesNothing_andAnswers200() throws Exception {
    writeRun(source, RUN);
    String bundle = source.get("/v1/runs/" + RUN + "/export").body();
    ok(importBody(target, "", bundle), 201);
    Path file = targetData.resolve("runs").resolve(RUN).resolve("events.jsonl");
    byte[] before = Files.readAllBytes(file);
    FileTime stamp = FileTime.fromMillis(1_000_000_000_000L);
    Files.setLastModifiedTime(file, stamp);

    JsonNode again = ok(importBody(target, "", bundle), 200);

    assertThat(Files.readAllBytes(file)).isEqualTo(before);
    assertThat(Files.getLastModifiedTime(file)).isEqualTo(stamp);
    assertThat(again.path("eventCount").asLong()).isEqualTo(6);
  }

  @Test
  void import_overADifferentExistingRun_is409RunExists_andChangesNothing() throws Exception {
    writeRun(source, RUN);
    String bundle = source.get("/v1/runs/" + RUN + "/export").body();
    writeRun(target, RUN); // the same appends, at other times: other lines
    byte[] before = journal(targetData, RUN);

    JsonNode conflict = problem(importBody(target, "", bundle), 409, "run-exists");

    assertThat(conflict.path("run").asText()).isEqualTo(RUN);
    assertThat(conflict.path("line").asLong()).isEqualTo(1);
    assertThat(conflict.path("detail").asText()).contains("already exists with other events");
    assertThat(journal(targetData, RUN)).isEqualTo(before);
  }

  @Test
  void malformedBundles_are400_namingTheEventOrLine_andWriteNothing() throws Exception {
    writeRun(source, RUN);
    String bundle = source.get("/v1/runs/" + RUN + "/export").body();
    String lines = source.get("/v1/runs/" + RUN + "/export?format=jsonl").body();

    JsonNode gap =
        problem(
            importBody(target, "", bundle.replace("{\"seq\":3,", "{\"seq\":4,")),
            400,
            "invalid-event");
    JsonNode broken =
        problem(
            importBody(
                target, "", lines.replaceFirst("\\{\"seq\":2,\"ts\":\"", "{\"seq\":2,\"ts\":")),
            400,
            "invalid-event");
    JsonNode spaced =
        problem(
            importBody(target, "", lines.replace("{\"seq\":4,", "{\"seq\": 4,")),
            400,
            "invalid-event");
    JsonNode notJson = problem(importBody(target, "", "{\"format\":"), 400, "invalid-event");
    JsonNode otherFormat =
        problem(
            importBody(target, "", bundle.replace("runjournal.export/v1", "runjournal.export/v9")),
            400,
            "invalid-event");

    assertThat(gap.path("event").asLong()).isEqualTo(5);
    assertThat(gap.path("detail").asText())
        .startsWith("bundle event 5 has seq 4 on branch \"main\", expected 3");
    assertThat(broken.path("line").asLong()).isEqualTo(2);
    assertThat(broken.path("detail").asText()).isEqualTo("line 2: ts is not a string");
    assertThat(spaced.path("line").asLong()).isEqualTo(6);
    assertThat(spaced.path("detail").asText())
        .startsWith("line 6: event 6 is not written as the journal writes it");
    assertThat(notJson.path("detail").asText()).startsWith("the import is not valid JSON");
    assertThat(otherFormat.path("detail").asText())
        .contains("unsupported bundle format \"runjournal.export/v9\"");
    assertThat(targetData.resolve("runs")).doesNotExist();
  }

  @Test
  void import_hasItsOwnBodyLimit_largerThanTheAppendLimit() throws Exception {
    writeRun(source, RUN);
    String bundle = source.get("/v1/runs/" + RUN + "/export").body();
    int size = bundle.getBytes(StandardCharsets.UTF_8).length;
    try (TestServer small =
            TestServer.start(
                targetData.resolve("small"),
                config ->
                    config.withLimits(
                        config.limits().withMaxRequestBytes(512).withMaxImportBytes(size)));
        TestServer tiny =
            TestServer.start(
                targetData.resolve("tiny"),
                config -> config.withLimits(config.limits().withMaxImportBytes(size - 1)))) {
      ok(importBody(small, "", bundle), 201);
      JsonNode tooLarge = problem(importBody(tiny, "", bundle), 413, "payload-too-large");
      assertThat(tooLarge.path("max").asLong()).isEqualTo(size - 1);
      assertThat(tooLarge.path("detail").asText()).contains("--max-import-bytes");
      assertThat(targetData.resolve("tiny").resolve("runs")).doesNotExist();
    }
  }

  @Test
  void export_needsScopeRead_andImport_scopeAppend() throws Exception {
    writeRun(source, RUN);
    String bundle = source.get("/v1/runs/" + RUN + "/export").body();
    Path tokens = targetData.resolve("tokens");
    Files.writeString(
        tokens, "reader read read-token-2b8f4e6a1c9d\nwriter append write-token-7e1a3c5b9f2d\n");
    try (TestServer guarded =
        TestServer.start(targetData.resolve("guarded"), c -> c.withTokenFile(tokens))) {
      HttpRequest.Builder asReader =
          guarded
              .request("/v1/runs/import")
              .header("Authorization", "Bearer read-token-2b8f4e6a1c9d")
              .POST(HttpRequest.BodyPublishers.ofString(bundle, StandardCharsets.UTF_8));
      HttpRequest.Builder asWriter =
          guarded
              .request("/v1/runs/import")
              .header("Authorization", "Bearer write-token-7e1a3c5b9f2d")
              .POST(HttpRequest.BodyPublishers.ofString(bundle, StandardCharsets.UTF_8));

      problem(guarded.send(asReader.build()), 403, "forbidden");
      ok(guarded.send(asWriter.build()), 201);
      problem(guarded.get("/v1/runs/" + RUN + "/export"), 401, "unauthorized");
      HttpResponse<String> exported =
          guarded.send(
              guarded
                  .request("/v1/runs/" + RUN + "/export?format=jsonl")
                  .header("Authorization", "Bearer read-token-2b8f4e6a1c9d")
                  .GET()
                  .build());
      assertThat(exported.statusCode()).isEqualTo(200);
      assertThat(exported.body())
          .isEqualTo(new String(journal(sourceData, RUN), StandardCharsets.UTF_8));
    }
  }

  @Test
  void importedRun_isReadAndFollowedLikeAnyOther() throws Exception {
    writeRun(source, RUN);
    ok(importBody(target, "", source.get("/v1/runs/" + RUN + "/export").body()), 201);

    JsonNode replay = ok(target.get("/v1/runs/" + RUN + "/events?branch=retry-1"), 200);

    assertThat(replay.path("head").asLong()).isEqualTo(2);
    assertThat(replay.path("events").get(1).path("id").asText()).isEqualTo("p-1");
    assertThat(json(target.get("/v1/runs?prefix=pipe")).path("runs").get(0).path("status").asText())
        .isEqualTo("succeeded");
  }
}
