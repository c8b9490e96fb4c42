package io.runjournal.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.runjournal.AppendRequest;
import io.runjournal.Journal;
import io.runjournal.model.NewEvent;
import io.runjournal.server.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code append}, {@code cat} and {@code ls} with {@code --server} against a real server: the same
 * output as on the server's data directory, the same error lines and exit codes.
 */
class CliOverServerTest {
  @TempDir Path data;

  private TestServer server;

  @BeforeEach
  void startServer() throws Exception {
    server = TestServer.start(data);
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  /** Runs {@code args} with {@code --server} appended. */
  private CliRunner.Outcome remote(String... args) {
    return new CliRunner(data).execute(withServer(args));
  }

  private String[] withServer(String... args) {
    return Stream.concat(Stream.of(args), Stream.of("--server", server.url().toString()))
        .toArray(String[]::new);
  }

  /** Runs {@code args} on the server's data directory, beside the running server. */
  private CliRunner.Outcome local(String... args) {
    return new CliRunner(data).inData(args);
  }

  private void append(String run, NewEvent... events) {
    server.server().journal().append(run, AppendRequest.of(events));
  }

  @Test
  void append_printsTheSameResultLine_andCatPrintsTheStoredLines() {
    var first = remote("append", "demo-1", "run.started", "{\"goal\": \"hello\", \"n\": 1.50}");
    var second =
        remote("append", "demo-1", "node.started", "--id", "n-1", "--meta", "{\"agent\":\"p\"}");

    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out())
        .isEqualTo(
            "{\"run\":\"demo-1\",\"branch\":\"main\",\"first\":1,\"last\":1,\"head\":1,"
                + "\"duplicates\":0}\n");
    assertThat(second.out()).contains("\"first\":2,\"last\":2,\"head\":2,\"duplicates\":0");
    for (String[] read :
        List.of(
            new String[] {"cat", "demo-1"},
            new String[] {"cat", "demo-1", "--pretty"},
            new String[] {"cat", "demo-1", "--desc", "--limit", "1"},
            new String[] {"tail", "-n", "1", "demo-1", "--pretty"})) {
      var overServer = remote(read);
      assertThat(overServer.exitCode()).as(String.join(" ", read)).isZero();
      assertThat(overServer.out()).as(String.join(" ", read)).isEqualTo(local(read).out());
    }
    assertThat(remote("cat", "demo-1").out())
        .contains("\"type\":\"run.started\",\"id\":\"c-")
        .contains("\"data\":{\"goal\":\"hello\",\"n\":1.50}}\n")
        .contains("\"type\":\"node.started\",\"id\":\"n-1\",\"meta\":{\"agent\":\"p\"}}\n");
  }

  @Test
  void appendNdjson_isOneAtomicBatch_andRepeatingItReportsDuplicates() {
    String stdin =
        """
        {"type":"a","id":"a-1","data":1}
        {"type":"b","id":"b-1","data":{"k":[1,2]},"meta":{"agent":"x"}}
        """;
    CliRunner cli = new CliRunner(data);

    var batch = cli.executeWithStdin(stdin, withServer("append", "batch", "--ndjson"));
    var again = cli.executeWithStdin(stdin, withServer("append", "batch", "-"));

    assertThat(batch.exitCode()).as(batch.err()).isZero();
    assertThat(batch.out()).contains("\"first\":1,\"last\":2,\"head\":2,\"duplicates\":0}");
    assertThat(again.exitCode()).isZero();
    assertThat(again.out()).contains("\"first\":1,\"last\":2,\"head\":2,\"duplicates\":2}");
  }

  @Test
  void refusedAppends_exit3_withTheJournalsOwnMessage() {
    append("demo-1", NewEvent.of("a"));
    var localConflict = local("append", "demo-1", "b", "--expected-seq", "0");

    var conflict = remote("append", "demo-1", "b", "--expected-seq", "0");
    remote("append", "demo-1", "x", "--id", "same", "1");
    var idConflict = remote("append", "demo-1", "x", "--id", "same", "2");
    remote("append", "demo-1", "run.completed");
    var ended = remote("append", "demo-1", "late");

    assertThat(conflict.exitCode()).isEqualTo(3);
    assertThat(conflict.err())
        .isEqualTo(localConflict.err())
        .isEqualTo(
            "runjournal: sequence-conflict: sequence conflict on run \"demo-1\" branch \"main\":"
                + " expected 1, got 0\n");
    assertThat(idConflict.exitCode()).isEqualTo(3);
    assertThat(idConflict.err()).startsWith("runjournal: id-conflict: ");
    assertThat(ended.exitCode()).isEqualTo(3);
    assertThat(ended.err()).startsWith("runjournal: run-ended: ");
  }

  @Test
  void invalidInput_exits2_likeOnADataDirectory() {
    for (String[] args :
        List.of(
            new String[] {"append", "../etc", "x"},
            new String[] {"append", "ok", "bad type!"},
            new String[] {"append", "ok", "x", "--id", ""},
            new String[] {"append", "ok", "x", "--branch", "-no"},
            new String[] {"append", "ok", "x", "--meta", "[1]"},
            new String[] {"append", "ok", "x", "{\"a\":"},
            new String[] {"cat", "../etc"})) {
      var overServer = remote(args);
      var onDisk = local(args);

      assertThat(overServer.exitCode()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(overServer.err()).as(String.join(" ", args)).isEqualTo(onDisk.err());
    }
  }

  @Test
  void missingRun_exits5() {
    var cat = remote("cat", "nope");
    var tail = remote("tail", "-f", "nope");

    assertThat(cat.exitCode()).isEqualTo(5);
    assertThat(cat.err())
        .isEqualTo("runjournal: not-found: run \"nope\" does not exist on " + server.url() + "\n");
    assertThat(tail.exitCode()).isEqualTo(5);
  }

  @Test
  void catAndTail_pageThroughMoreThanOnePage() {
    List<NewEvent> events = new ArrayList<>();
    IntStream.rangeClosed(1, 2500).forEach(i -> events.add(NewEvent.of("tick", "" + i)));
    append("big", events.toArray(NewEvent[]::new));
    append("big", NewEvent.of("other"));

    for (String[] read :
        List.of(
            new String[] {"cat", "big"},
            new String[] {"cat", "big", "--after", "990", "--limit", "1200"},
            new String[] {"cat", "big", "--desc", "--limit", "1500"},
            new String[] {"cat", "big", "--desc", "--after", "2000", "--type", "tick"},
            new String[] {"tail", "-n", "2200", "big"},
            new String[] {"tail", "-n", "1500", "big", "--type", "tick"})) {
      var overServer = remote(read);

      assertThat(overServer.exitCode()).isZero();
      assertThat(overServer.out()).as(String.join(" ", read)).isEqualTo(local(read).out());
    }
    assertThat(remote("cat", "big").out().lines()).hasSize(2501);
  }

  @Test
  void ls_andLsLong_printWhatTheyPrintOnTheDataDirectory() throws Exception {
    append("open", NewEvent.of("a"), NewEvent.of("b"), NewEvent.of("c"));
    append("done", NewEvent.of("a"), NewEvent.of("run.completed"));
    server
        .server()
        .journal()
        .append(
            "side", AppendRequest.of(NewEvent.of("b"), NewEvent.of("run.cancelled")).onBranch("x"));
    Files.createDirectories(data.resolve("runs/new"));

    for (String[] ls : List.of(new String[] {"ls"}, new String[] {"ls", "--long"})) {
      var overServer = remote(ls);
      assertThat(overServer.exitCode()).isZero();
      assertThat(overServer.out()).as(String.join(" ", ls)).isEqualTo(local(ls).out());
    }
    assertThat(remote("ls", "-l").out().lines())
        .hasSize(5)
        .first()
        .isEqualTo("RUN   STATUS     PROGRESS  DURATION  EVENTS  LAST EVENT");
    assertThat(remote("ls", "-l").out().lines().skip(1).map(line -> line.split(" +")[1]))
        .containsExactly("succeeded", "pending", "running", "cancelled");
  }

  @Test
  void ls_pagesThroughMoreThanOneListingPage() {
    Journal journal = server.server().journal();
    IntStream.range(0, 1005).forEach(i -> journal.create("run-" + String.format("%04d", i)));

    var overServer = remote("ls");

    assertThat(overServer.out().lines()).hasSize(1005).endsWith("run-1004");
    assertThat(overServer.out()).isEqualTo(local("ls").out());
  }

  @Test
  void optionMistakes_areUsageErrors() {
    var both = new CliRunner(data).inData(withServer("cat", "x"));
    var tokenWithoutServer = local("cat", "x", "--token-file", "t");
    var fsync = remote("append", "x", "y", "--fsync", "none");
    var badUrl = new CliRunner(data).execute("ls", "--server", "ftp://host");

    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err())
        .startsWith("runjournal: usage: --server and --data are mutually exclusive");
    assertThat(tokenWithoutServer.exitCode()).isEqualTo(2);
    assertThat(tokenWithoutServer.err()).contains("--token-file is the token for --server");
    assertThat(fsync.exitCode()).isEqualTo(2);
    assertThat(fsync.err()).contains("--fsync is for a data directory");
    assertThat(badUrl.exitCode()).isEqualTo(2);
    assertThat(badUrl.err()).startsWith("runjournal: usage: --server: baseUrl must be");
  }

  @Test
  void unreachableServer_exits1_withOneLine() {
    String url = server.url().toString();
    server.close();

    var outcome = new CliRunner(data).execute("ls", "--server", url);

    assertThat(outcome.exitCode()).isEqualTo(1);
    assertThat(outcome.err())
        .startsWith(
            "runjournal: connection-failed: GET " + url + "/v1/runs?limit=1000&order=id failed")
        .hasLineCount(1);
  }

  @Test
  void token_fromTokenFileOrEnvironment_andNeverPrinted(@TempDir Path config) throws Exception {
    String token = "cli-token-0123456789abcdef";
    Path tokens = config.resolve("tokens");
    Files.writeString(tokens, "ci append " + token + "\n");
    Path tokenFile = config.resolve("token");
    Files.writeString(tokenFile, token + "\n");
    server.close();
    server = TestServer.start(data, serverConfig -> serverConfig.withTokenFile(tokens));
    String url = server.url().toString();

    var anonymous = new CliRunner(data).execute("append", "r", "a", "--server", url);
    var wrong =
        new CliRunner(data, Map.of(ServerOptions.TOKEN_ENV, token + "x"))
            .execute("append", "r", "a", "--server", url);
    var withFile =
        new CliRunner(data)
            .execute("append", "r", "a", "--server", url, "--token-file", tokenFile.toString());
    var withEnv =
        new CliRunner(data, Map.of(ServerOptions.TOKEN_ENV, token))
            .execute("cat", "r", "--server", url);
    var serverTokenList =
        new CliRunner(data).execute("cat", "r", "--server", url, "--token-file", tokens.toString());

    assertThat(anonymous.exitCode()).isEqualTo(1);
    assertThat(anonymous.err()).startsWith("runjournal: unauthorized: ");
    assertThat(wrong.err()).startsWith("runjournal: unauthorized: ").doesNotContain(token);
    assertThat(withFile.exitCode()).as(withFile.err()).isZero();
    assertThat(withEnv.exitCode()).as(withEnv.err()).isZero();
    assertThat(withEnv.out().lines()).hasSize(1);
    assertThat(serverTokenList.exitCode()).isEqualTo(2);
    assertThat(serverTokenList.err()).contains("must hold the token alone").doesNotContain(token);
  }
}
