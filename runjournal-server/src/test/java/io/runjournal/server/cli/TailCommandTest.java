package io.runjournal.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runjournal.AppendRequest;
import io.runjournal.Journal;
import io.runjournal.model.NewEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TailCommandTest {
  @TempDir Path data;

  private CliRunner cli() {
    return new CliRunner(data);
  }

  private void append(String run, NewEvent... events) {
    try (Journal journal = Journal.open(data)) {
      journal.append(run, AppendRequest.of(events));
    }
  }

  @Test
  void tail_n_printsTheLastNEventsOldestFirst() {
    append(
        "run-1",
        IntStream.rangeClosed(1, 15).mapToObj(i -> NewEvent.of("t" + i)).toArray(NewEvent[]::new));

    var lastThree = cli().inData("tail", "-n", "3", "run-1");
    var lastTen = cli().inData("tail", "run-1", "--pretty");

    assertThat(lastThree.exitCode()).isZero();
    assertThat(lastThree.out().lines())
        .extracting(line -> line.substring(0, line.indexOf(',')))
        .containsExactly("{\"seq\":13", "{\"seq\":14", "{\"seq\":15");
    assertThat(lastTen.out().lines().filter(line -> line.startsWith("#")))
        .hasSize(10)
        .first()
        .asString()
        .startsWith("#6  ");
  }

  @Test
  void tailFollow_printsLiveEventsAndExits0WhenTheRunEnds() throws Exception {
    append("live", NewEvent.of("run.started"));
    var tail = cli().startInData("tail", "-f", "live");
    await().atMost(Duration.ofSeconds(30)).until(() -> tail.out().contains("\"run.started\""));

    try (Journal producer = Journal.open(data)) {
      producer.append("live", NewEvent.of("node.started", "{\"n\":1}"));
      await().atMost(Duration.ofSeconds(30)).until(() -> tail.out().contains("\"node.started\""));

      producer.append("live", NewEvent.of("run.completed"));
    }

    assertThat(tail.exitCode().get(30, TimeUnit.SECONDS)).isZero();
    assertThat(tail.out().lines())
        .extracting(line -> line.replaceAll(".*\"type\":\"([^\"]+)\".*", "$1"))
        .containsExactly("run.started", "node.started", "run.completed");
  }

  @Test
  void tailFollow_withTypeFilter_printsOnlyThoseTypesAndStillEnds() throws Exception {
    append("live", NewEvent.of("noise"), NewEvent.of("signal"));
    var tail = cli().startInData("tail", "-f", "-n", "1", "live", "--type", "signal");
    await().atMost(Duration.ofSeconds(30)).until(() -> tail.out().contains("\"seq\":2,"));

    append("live", NewEvent.of("noise"), NewEvent.of("signal"), NewEvent.of("run.failed"));

    assertThat(tail.exitCode().get(30, TimeUnit.SECONDS)).isZero();
    assertThat(tail.out().lines())
        .extracting(line -> line.substring(0, line.indexOf(',')))
        .containsExactly("{\"seq\":2", "{\"seq\":4");
  }

  @Test
  void tail_negativeCount_isAUsageError() {
    append("run-1", NewEvent.of("a"));

    assertThat(cli().inData("tail", "-n", "-1", "run-1").exitCode()).isEqualTo(2);
  }
}
