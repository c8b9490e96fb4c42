package io.runjournal.client;

import static io.runjournal.client.ScriptedPeer.json;
import static io.runjournal.client.ScriptedPeer.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link RunJournalClient#export} and {@link RunJournalClient#importRun} against a scripted peer.
 */
class ExportImportClientTest {
  private static final String SUMMARY = "{\"id\":\"r1\",\"status\":\"succeeded\",\"eventCount\":2}";
  private static final String LINES =
      "{\"seq\":1,\"ts\":\"2026-11-21T10:15:30.123Z\",\"run\":\"r1\",\"branch\":\"main\","
          + "\"type\":\"a\"}\n";

  private final ScriptedPeer peer = new ScriptedPeer();
  private final List<RunJournalClient> clients = new ArrayList<>();

  ExportImportClientTest() throws IOException {}

  @AfterEach
  void closeAll() {
    clients.forEach(RunJournalClient::close);
    peer.close();
  }

  private RunJournalClient client() {
    RunJournalClient client =
        RunJournalClient.builder(peer.url())
            .token("t0k3n-for-the-tests")
            .retryPolicy(
                RetryPolicy.defaults().withBackoff(Duration.ofMillis(1), Duration.ofMillis(5)))
            .build();
    clients.add(client);
    return client;
  }

  @Test
  void export_asksForTheFormEventsAndLimit_andCopiesTheBodyAsSent() {
    peer.on(
        "/v1/runs/r1/export",
        (exchange, call) -> ScriptedPeer.send(exchange, 200, "application/x-ndjson", LINES));
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    ByteArrayOutputStream bundle = new ByteArrayOutputStream();

    long copied = client().export("r1", ExportOptions.jsonl().limit(5), raw);
    client().export("r1", ExportOptions.bundle().withoutEvents(), bundle);

    assertThat(raw.toString(StandardCharsets.UTF_8)).isEqualTo(LINES);
    assertThat(copied).isEqualTo(LINES.getBytes(StandardCharsets.UTF_8).length);
    List<ScriptedPeer.Request> requests = peer.requests("/v1/runs/r1/export");
    assertThat(requests.get(0).query()).isEqualTo("format=jsonl&limit=5");
    assertThat(requests.get(1).query()).isEqualTo("events=false");
    assertThat(requests.get(0).header("Authorization")).isEqualTo("Bearer t0k3n-for-the-tests");
  }

  @Test
  void export_after503_retries_andOfAMissingRun_throwsNotFound() {
    peer.on(
        "/v1/runs/r1/export",
        (exchange, call) -> {
          if (call == 1) {
            problem(exchange, 503, "unavailable", "draining", "");
          } else {
            ScriptedPeer.send(exchange, 200, "application/json", "{\"format\":\"x\"}");
          }
        });
    peer.on(
        "/v1/runs/gone/export",
        (exchange, call) -> problem(exchange, 404, "not-found", "run gone does not exist", ""));
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    client().export("r1", ExportOptions.bundle(), out);

    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{\"format\":\"x\"}");
    assertThatThrownBy(() -> client().export("gone", ExportOptions.bundle(), out))
        .isInstanceOfSatisfying(
            RunJournalClientException.class,
            e -> {
              assertThat(e.type()).isEqualTo("not-found");
              assertThat(e.status()).isEqualTo(404);
            });
    assertThat(peer.requests("/v1/runs/gone/export")).hasSize(1);
  }

  @Test
  void importRun_postsTheBodyAsIs_andTells201From200() {
    peer.on("/v1/runs/import", (exchange, call) -> json(exchange, call == 1 ? 201 : 200, SUMMARY));
    byte[] body = LINES.getBytes(StandardCharsets.UTF_8);

    ImportResult first = client().importRun(body, "copy-1");
    ImportResult second = client().importRun(body, null);

    assertThat(first.created()).isTrue();
    assertThat(second.created()).isFalse();
    assertThat(first.summary().id()).isEqualTo("r1");
    List<ScriptedPeer.Request> requests = peer.requests("/v1/runs/import");
    assertThat(requests.get(0).body()).isEqualTo(LINES);
    assertThat(requests.get(0).query()).isEqualTo("run=copy-1");
    assertThat(requests.get(1).query()).isNull();
  }

  @Test
  void importRun_afterADroppedConnection_retries_andAConflictIsNotRetried() {
    peer.on(
        "/v1/runs/import",
        (exchange, call) -> {
          if (call == 1) {
            throw new ScriptedPeer.Drop();
          }
          if (call == 2) {
            json(exchange, 201, SUMMARY);
          } else {
            problem(exchange, 409, "run-exists", "run r1 already exists", "\"line\":3");
          }
        });
    byte[] body = LINES.getBytes(StandardCharsets.UTF_8);

    assertThat(client().importRun(body, null).created()).isTrue();
    assertThatThrownBy(() -> client().importRun(body, null))
        .isInstanceOfSatisfying(
            RunJournalClientException.class,
            e -> {
              assertThat(e.type()).isEqualTo("run-exists");
              assertThat(e.status()).isEqualTo(409);
            });
    assertThat(peer.requests("/v1/runs/import")).hasSize(3);
  }

  @Test
  void importRun_underAnInvalidRunId_failsBeforeAnyRequest() {
    assertThatThrownBy(() -> client().importRun(new byte[1], "../x"))
        .isInstanceOfSatisfying(
            RunJournalClientException.class, e -> assertThat(e.type()).isEqualTo("invalid-run-id"));
    assertThat(peer.requests()).isEmpty();
  }
}
