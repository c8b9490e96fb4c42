package io.runjournal.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.runjournal.FsyncPolicy;
import io.runjournal.Journal;
import io.runjournal.JournalOptions;
import io.runjournal.ReadQuery;
import io.runjournal.VerifyReport;
import io.runjournal.model.Event;
import io.runjournal.model.NewEvent;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code gc} while another process appends to a run: the run is never touched (it has not ended,
 * whatever its age), every one of its acknowledged events stays, and the finished runs around it
 * are collected.
 */
class GcBesideAProducerTest {
  @TempDir Path data;
  @TempDir Path scratch;

  private Process producer;

  @AfterEach
  void stopProducer() throws InterruptedException {
    if (producer != null && producer.isAlive()) {
      producer.destroyForcibly();
      producer.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private void writeFinishedRuns(int count) {
    JournalOptions past =
        JournalOptions.defaults()
            .withFsync(FsyncPolicy.NONE)
            .withClock(Clock.fixed(Instant.now().minus(Duration.ofDays(2)), ZoneOffset.UTC));
    try (Journal journal = Journal.open(data, past)) {
      for (int i = 0; i < count; i++) {
        journal.append("done-" + i, NewEvent.of("step"));
        journal.append("done-" + i, NewEvent.of("run.completed"));
      }
      journal.append("busy", NewEvent.of("run.started")); // two days ago, too
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void gc_whileAnotherProcessAppendsToAnOldRun_neverTouchesIt(boolean archive) throws Exception {
    writeFinishedRuns(30);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            BusyAppenderMain.class.getName(),
            data.toString(),
            "busy"));
    producer =
        new ProcessBuilder(command).redirectError(scratch.resolve("producer.err").toFile()).start();
    var lines =
        new BufferedReader(
            new InputStreamReader(producer.getInputStream(), StandardCharsets.UTF_8));
    assertThat(lines.readLine()).as(stderr()).isEqualTo("appended 50");

    // The producer keeps appending while gc runs: it stops only when told, after gc returned.
    var outcome =
        new CliRunner(data)
            .inData(
                archive
                    ? new String[] {"gc", "--older-than", "1h", "--archive"}
                    : new String[] {"gc", "--older-than", "1h"});

    try (Writer stdin =
        new OutputStreamWriter(producer.getOutputStream(), StandardCharsets.UTF_8)) {
      stdin.write("stop\n");
    }
    String last;
    do {
      last = lines.readLine();
    } while (last != null && last.startsWith("appended "));
    assertThat(producer.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(producer.exitValue()).as(stderr()).isZero();
    assertThat(last).as(stderr()).startsWith("stopped ");
    long appended = Long.parseLong(last.substring("stopped ".length()));

    assertThat(outcome.exitCode()).as(outcome.err()).isZero();
    assertThat(outcome.out())
        .contains(archive ? "\narchived 30 of 31 runs (" : "\ndeleted 30 of 31 runs;")
        .endsWith("; kept 1: 1 not finished\n");
    try (Journal journal = Journal.open(data)) {
      assertThat(journal.listRuns())
          .containsExactlyElementsOf(archive ? expectedRuns() : List.of("busy"));
      VerifyReport busy = journal.verify("busy");
      assertThat(busy.ok()).as("busy: %s", busy.problems()).isTrue();
      assertThat(busy.events()).isEqualTo(appended + 1);
      assertThat(journal.read("busy", ReadQuery.all().afterSeq(appended).limit(5)).events())
          .extracting(Event::type)
          .containsExactly("busy.step");
      assertThat(journal.isArchived("busy")).isFalse();
      assertThat(Files.exists(data.resolve("active/busy"))).isTrue();
    }
  }

  private static List<String> expectedRuns() {
    List<String> runs = new ArrayList<>(List.of("busy"));
    for (int i = 0; i < 30; i++) {
      runs.add("done-" + i);
    }
    runs.sort(null);
    return runs;
  }

  private String stderr() {
    try {
      return Files.readString(scratch.resolve("producer.err"));
    } catch (java.io.IOException e) {
      return "(no stderr: " + e + ")";
    }
  }
}
