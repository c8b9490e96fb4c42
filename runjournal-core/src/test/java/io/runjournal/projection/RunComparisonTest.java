package io.runjournal.projection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runjournal.model.Event;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunComparisonTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long T0 = 1_790_000_000_000L;

  /** Builds one run's events: type, ts offset, data, meta. */
  private static final class RunBuilder {
    final String run;
    final List<Event> events = new ArrayList<>();

    RunBuilder(String run) {
      this.run = run;
    }

    RunBuilder add(long offset, String type, String data, String meta) {
      events.add(
          new Event(events.size() + 1, T0 + offset, run, "main", type, null, data, meta, null));
      return this;
    }

    RunProjection projection() {
      RunProjection projection = new RunProjection(run);
      events.forEach(projection::apply);
      return projection;
    }

    List<String> types() {
      return events.stream().map(Event::type).toList();
    }
  }

  private static JsonNode compare(RunBuilder left, RunBuilder right) throws IOException {
    RunComparison comparison =
        RunComparison.of(
            left.projection(),
            right.projection(),
            left.types().iterator(),
            right.types().iterator());
    StringWriter out = new StringWriter();
    try (JsonGenerator gen = JSON.createGenerator(out)) {
      comparison.writeJson(gen);
    }
    return JSON.readTree(out.toString());
  }

  @Test
  void twoSucceededRuns_giveDeltasDiffsAndTheFirstDivergence() throws IOException {
    RunBuilder left =
        new RunBuilder("left")
            .add(0, "run.started", null, "{\"agent\":\"agent-1\"}")
            .add(100, "participant.seen", "{\"id\":\"agent-2\"}", null)
            .add(200, "decision.made", "{\"confidence\":0.8}", null)
            .add(1000, "run.completed", null, null);
    RunBuilder right =
        new RunBuilder("right")
            .add(0, "run.started", null, "{\"agent\":\"agent-1\"}")
            .add(100, "participant.seen", "{\"id\":\"agent-3\"}", null)
            .add(150, "signal.emitted", "{\"name\":\"warning\"}", null)
            .add(200, "decision.made", "{\"confidence\":0.7}", null)
            .add(1500, "run.completed", null, null);

    JsonNode diff = compare(left, right);

    assertThat(diff.get("statusMatch").asBoolean()).isTrue();
    assertThat(diff.at("/status/left").asText()).isEqualTo("succeeded");
    assertThat(diff.get("durationDeltaMs").asLong()).isEqualTo(500);
    assertThat(diff.get("confidenceDelta").asDouble()).isEqualTo(-0.1);
    assertThat(diff.get("progressDelta").isNull()).isTrue();
    assertThat(diff.at("/participantsDiff/added").toString()).isEqualTo("[\"agent-3\"]");
    assertThat(diff.at("/participantsDiff/removed").toString()).isEqualTo("[\"agent-2\"]");
    assertThat(diff.at("/participantsDiff/common").toString()).isEqualTo("[\"agent-1\"]");
    assertThat(diff.at("/signalsDiff/added").toString()).isEqualTo("[\"warning\"]");
    assertThat(diff.at("/signalsDiff/removed").toString()).isEqualTo("[]");
    assertThat(diff.at("/countsByTypeDiff/signal.emitted").toString())
        .isEqualTo("{\"left\":0,\"right\":1,\"delta\":1}");
    assertThat(diff.at("/firstDivergence/position").asLong()).isEqualTo(3);
    assertThat(diff.at("/firstDivergence/leftType").asText()).isEqualTo("decision.made");
    assertThat(diff.at("/firstDivergence/rightType").asText()).isEqualTo("signal.emitted");
  }

  @Test
  void runsWithoutMetrics_giveNoDeltas_andIdenticalRunsNoDivergence() throws IOException {
    RunBuilder left = new RunBuilder("a").add(0, "step", null, null);
    RunBuilder right = new RunBuilder("b").add(0, "step", null, null);

    JsonNode diff = compare(left, right);

    assertThat(diff.get("confidenceDelta").isNull()).isTrue();
    assertThat(diff.get("progressDelta").isNull()).isTrue();
    assertThat(diff.get("firstDivergence").isNull()).isTrue();
  }

  @Test
  void aRunThatIsAPrefixOfTheOther_divergesWhereItEnds() throws IOException {
    RunBuilder left = new RunBuilder("a").add(0, "step", null, null);
    RunBuilder right = new RunBuilder("b").add(0, "step", null, null).add(1, "more", null, null);

    JsonNode diff = compare(left, right);

    assertThat(diff.at("/firstDivergence/position").asLong()).isEqualTo(2);
    assertThat(diff.at("/firstDivergence/leftType").isNull()).isTrue();
    assertThat(diff.at("/firstDivergence/rightType").asText()).isEqualTo("more");
  }
}
