package io.runjournal.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runjournal.AppendRequest;
import io.runjournal.model.NewEvent;
import io.runjournal.server.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tail -f --server}: follows a run over SSE, exactly once and in order, until it ends. */
class TailOverServerTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path data;

  private TestServer server;

  @BeforeEach
  void startServer() throws Exception {
    server = TestServer.start(data, config -> config.withSseRetry(Duration.ofMillis(10)));
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private CliRunner.Background tail(String... args) {
    String[] command = new String[args.length + 3];
    command[0] = "tail";
    System.arraycopy(args, 0, command, 1, args.length);
    command[args.length + 1] = "--server";
    command[args.length + 2] = server.url().toString();
    return new CliRunner(data).start(command);
  }

  private void append(String run, NewEvent... events) {
    server.server().journal().append(run, AppendRequest.of(events));
  }

  /** What {@code cat} prints on the server's data directory: the stored lines. */
  private String stored(String run, String... options) {
    String[] command = new String[options.length + 2];
    command[0] = "cat";
    command[1] = run;
    System.arraycopy(options, 0, command, 2, options.length);
    return new CliRunner(data).inData(command).out();
  }

  @Test
  void tailFollow_printsLiveEventsAndExits0WhenTheRunEnds() throws Exception {
    append("live", NewEvent.of("run.started"));
    var tail = tail("-f", "live");
    await().atMost(WAIT).until(() -> tail.out().contains("\"run.started\""));

    append("live", NewEvent.of("node.started", "{\"n\":1}"));
    await().atMost(WAIT).until(() -> tail.out().contains("\"node.started\""));
    append("live", NewEvent.of("run.completed"));

    assertThat(tail.exitCode().get(30, TimeUnit.SECONDS)).isZero();
    assertThat(tail.out()).isEqualTo(stored("live"));
    assertThat(tail.out().lines()).hasSize(3);
  }

  @Test
  void tailFollow_withTypeFilter_printsOnlyThoseTypesAndStillEnds() throws Exception {
    append("live", NewEvent.of("noise"), NewEvent.of("signal"));
    var tail = tail("-f", "-n", "1", "live", "--type", "signal", "--pretty");
    await().atMost(WAIT).until(() -> tail.out().contains("#2  "));

    append("live", NewEvent.of("noise"), NewEvent.of("signal"), NewEvent.of("run.failed"));

    assertThat(tail.exitCode().get(30, TimeUnit.SECONDS)).isZero();
    assertThat(tail.out()).isEqualTo(stored("live", "--type", "signal", "--pretty"));
  }

  @Test
  void tailFollow_acrossServerSideStreamDrops_printsEveryEventOnceInOrder() throws Exception {
    append("flaky", NewEvent.of("run.started"));
    var tail = tail("-f", "-n", "0", "flaky");
    await().atMost(WAIT).until(() -> server.server().openStreams() == 1);

    for (int round = 0; round < 20; round++) {
      int from = round * 5;
      append(
          "flaky",
          IntStream.range(from, from + 5)
              .mapToObj(i -> NewEvent.of("tick", Integer.toString(i)))
              .toArray(NewEvent[]::new));
      server.server().dropStreams();
      if (round % 4 == 0) {
        int printed = from + 5;
        await().atMost(WAIT).until(() -> tail.out().lines().count() == printed);
      }
    }
    append("flaky", NewEvent.of("run.completed"));

    assertThat(tail.exitCode().get(30, TimeUnit.SECONDS)).isZero();
    String stored = stored("flaky", "--after", "1");
    assertThat(stored.lines()).hasSize(101);
    assertThat(tail.out()).isEqualTo(stored);
  }

  @Test
  void tailFollow_ofARunThatHasEnded_printsTheLastEventsAndExits0() throws Exception {
    append("done", NewEvent.of("a"), NewEvent.of("run.completed"));

    var nothingNew = tail("-f", "-n", "0", "done");
    var lastOne = tail("-f", "-n", "1", "done");

    assertThat(nothingNew.exitCode().get(30, TimeUnit.SECONDS)).isZero();
    assertThat(nothingNew.out()).isEmpty();
    assertThat(lastOne.exitCode().get(30, TimeUnit.SECONDS)).isZero();
    assertThat(lastOne.out()).isEqualTo(stored("done", "--after", "1"));
  }
}
