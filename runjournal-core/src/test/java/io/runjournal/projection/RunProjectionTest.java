package io.runjournal.projection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runjournal.model.Event;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class RunProjectionTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long T0 = 1_790_000_000_000L;

  private final Map<String, Long> heads = new HashMap<>();

  private Event event(long ts, String type, String data, String meta) {
    return event(ts, "main", type, data, meta);
  }

  private Event event(long ts, String branch, String type, String data, String meta) {
    long seq = heads.merge(branch, 1L, Long::sum);
    return new Event(seq, ts, "r1", branch, type, null, data, meta, null);
  }

  private static RunProjection fold(List<Event> events) {
    RunProjection projection = new RunProjection("r1");
    events.forEach(projection::apply);
    return projection;
  }

  @Test
  void aRunFromCreationToFailure_foldsEveryField() throws IOException {
    List<Event> events =
        List.of(
            event(T0, "run.created", null, "{\"owner\":\"ci\",\"agent\":\"planner\"}"),
            event(T0 + 100, "run.started", null, null),
            event(T0 + 200, "participant.seen", "{\"id\":\"agent-2\"}", null),
            event(T0 + 300, "node.output", "{\"text\":\"hi\"}", "{\"agent\":\"agent-1\"}"),
            event(T0 + 400, "progress.reported", "{\"completed\":1,\"total\":4}", null),
            event(T0 + 450, "signal.emitted", "{\"name\":\"warning\"}", null),
            event(T0 + 460, "signal.emitted", "\"warning\"", null),
            event(T0 + 500, "decision.made", "{\"confidence\":0.75}", null),
            event(T0 + 600, "decision.revised", "{\"confidence\":0.5}", null),
            event(T0 + 700, "progress.reported", "{\"percent\":60}", null),
            event(T0 + 900, "run.failed", "{\"error\":{\"code\":\"E42\"}}", null));

    RunProjection projection = fold(events);

    assertThat(projection.status()).isEqualTo("failed");
    assertThat(projection.createdAt()).isEqualTo(T0);
    assertThat(projection.startedAt()).isEqualTo(T0 + 100);
    assertThat(projection.endedAt()).isEqualTo(T0 + 900);
    assertThat(projection.durationMs()).isEqualTo(800);
    assertThat(projection.heads()).containsExactly(Map.entry("main", 11L));
    assertThat(projection.eventCount()).isEqualTo(11);
    assertThat(projection.countsByType())
        .containsEntry("signal.emitted", 2L)
        .containsEntry("progress.reported", 2L);
    assertThat(projection.progress()).isEqualTo(JSON.readTree("{\"percent\":60.0}"));
    assertThat(projection.participants()).containsExactly("agent-1", "agent-2", "planner");
    assertThat(projection.signals()).containsExactly(Map.entry("warning", 2L));
    assertThat(projection.confidence()).isEqualTo(0.5);
    assertThat(projection.error()).isEqualTo(JSON.readTree("{\"code\":\"E42\"}"));
    assertThat(projection.meta())
        .isEqualTo(JSON.readTree("{\"owner\":\"ci\",\"agent\":\"planner\"}"));
    assertThat(projection.lastEventAt()).isEqualTo(T0 + 900);
  }

  @Test
  void statusMovesFromPendingToRunning_andTheFirstTerminalEventWins() {
    RunProjection projection = new RunProjection("r1");
    assertThat(projection.status()).isEqualTo("pending");
    projection.apply(event(T0, "run.created", null, null));
    assertThat(projection.status()).isEqualTo("pending");
    assertThat(projection.durationMs()).isZero();
    projection.apply(event(T0 + 10, "step", null, null));
    assertThat(projection.status()).isEqualTo("running");
    projection.apply(event(T0 + 20, "run.completed", null, null));
    projection.apply(event(T0 + 30, "run.cancelled", null, null));
    assertThat(projection.status()).isEqualTo("succeeded");
    assertThat(projection.endedAt()).isEqualTo(T0 + 20);
  }

  @Test
  void progressFromCompletedAndTotal_derivesThePercent() {
    RunProjection projection =
        fold(List.of(event(T0, "progress.reported", "{\"completed\":1,\"total\":3}", null)));

    assertThat(projection.progress().get("completed").asInt()).isEqualTo(1);
    assertThat(projection.progressPercent()).isEqualTo(33.33);
  }

  /**
   * A projection saved to JSON at random points (as run.json is) and folded on from there equals
   * the projection folded from scratch over the same events.
   */
  @RepeatedTest(20)
  void foldedIncrementallyThroughSnapshots_equalsRebuiltFromAllEvents() throws IOException {
    Random random = new Random();
    List<Event> events = new ArrayList<>();
    long ts = T0;
    String[] types = {
      "step", "participant.seen", "signal.emitted", "decision.made", "progress.reported", "log"
    };
    events.add(event(ts, "run.created", null, random.nextBoolean() ? "{\"k\":[1,2]}" : null));
    int count = 1 + random.nextInt(200);
    for (int i = 0; i < count; i++) {
      ts += random.nextInt(50);
      String type = types[random.nextInt(types.length)];
      String data =
          switch (type) {
            case "participant.seen" -> "{\"id\":\"p" + random.nextInt(5) + "\"}";
            case "signal.emitted" -> "{\"name\":\"s" + random.nextInt(3) + "\"}";
            case "decision.made" -> "{\"confidence\":" + random.nextInt(100) / 100.0 + "}";
            case "progress.reported" -> "{\"completed\":" + i + ",\"total\":" + count + "}";
            default -> random.nextBoolean() ? null : "[" + i + "]";
          };
      String meta = random.nextInt(4) == 0 ? "{\"agent\":\"a" + random.nextInt(4) + "\"}" : null;
      String branch = random.nextInt(8) == 0 ? "side" : "main";
      events.add(event(ts, branch, type, data, meta));
    }
    if (random.nextBoolean()) {
      events.add(event(ts + 5, "run.completed", null, null));
    }

    RunProjection incremental = new RunProjection("r1");
    for (Event event : events) {
      incremental.apply(event);
      if (random.nextInt(10) == 0) {
        incremental = RunProjection.fromJson(JSON.readTree(toJson(incremental, true)));
      }
    }

    RunProjection rebuilt = fold(events);
    assertThat(incremental).isEqualTo(rebuilt);
    assertThat(toJson(incremental)).isEqualTo(toJson(rebuilt));
  }

  @Test
  void lastEventType_isTheLatestEventAcrossBranches_whateverOrderTheyAreFoldedIn()
      throws IOException {
    Event first = event(T0, "main", "step.started", null, null);
    Event side = event(T0 + 5, "retry", "step.retried", null, null);
    Event tie = event(T0 + 5, "main", "step.finished", null, null);
    RunProjection mainFirst = fold(List.of(first, tie, side));
    RunProjection sideFirst = fold(List.of(side, first, tie));

    // Same time: branch "retry" sorts after "main", so its event is the latest.
    assertThat(mainFirst.lastEventType()).isEqualTo("step.retried");
    assertThat(sideFirst.lastEventType()).isEqualTo("step.retried");
    assertThat(toJson(mainFirst)).contains("\"lastEventType\":\"step.retried\"");

    RunProjection restored = RunProjection.fromJson(JSON.readTree(toJson(sideFirst, true)));
    restored.apply(event(T0 + 1, "main", "step.late", null, null));
    assertThat(restored.lastEventType()).isEqualTo("step.retried");
    assertThat(new RunProjection("empty").lastEventType()).isNull();
  }

  @Test
  void copy_isIndependent() {
    RunProjection projection = fold(List.of(event(T0, "participant.seen", "\"a\"", null)));
    RunProjection copy = projection.copy();

    projection.apply(event(T0 + 1, "participant.seen", "\"b\"", null));

    assertThat(copy.participants()).containsExactly("a");
    assertThat(projection.participants()).containsExactly("a", "b");
  }

  private static String toJson(RunProjection projection) throws IOException {
    return toJson(projection, false);
  }

  private static String toJson(RunProjection projection, boolean snapshot) throws IOException {
    StringWriter out = new StringWriter();
    try (JsonGenerator gen = JSON.createGenerator(out)) {
      projection.writeJson(gen, snapshot);
    }
    return out.toString();
  }
}
