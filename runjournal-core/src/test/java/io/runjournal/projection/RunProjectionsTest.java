package io.runjournal.projection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runjournal.AppendRequest;
import io.runjournal.FsyncPolicy;
import io.runjournal.Journal;
import io.runjournal.JournalOptions;
import io.runjournal.ReadQuery;
import io.runjournal.model.Event;
import io.runjournal.model.NewEvent;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunProjectionsTest {
  @TempDir Path data;
  Journal journal;
  RunProjections projections;

  @BeforeEach
  void open() {
    journal = Journal.open(data, JournalOptions.defaults().withFsync(FsyncPolicy.NONE));
    projections = new RunProjections(journal, new FileSnapshots(data), 100);
  }

  @AfterEach
  void close() {
    journal.close();
  }

  private void reopen() {
    projections.flush();
    journal.close();
    open();
  }

  /** The projection folded from scratch over every event the journal has, branch by branch. */
  private RunProjection rebuilt(String run) {
    RunProjection projection = new RunProjection(run);
    for (String branch : journal.info(run).heads().keySet()) {
      journal
          .read(run, ReadQuery.all().branch(branch).limit(100_000))
          .events()
          .forEach(projection::apply);
    }
    projection.setMalformedLines(journal.info(run).malformedLines());
    return projection;
  }

  private static String json(RunProjection projection) {
    StringWriter out = new StringWriter();
    try (JsonGenerator gen = new ObjectMapper().createGenerator(out)) {
      projection.writeJson(gen, true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private Path snapshot(String run) {
    return data.resolve("runs").resolve(run).resolve("run.json");
  }

  @Test
  void flush_writesRunJson_andAReopenedStoreUsesItAsIsWhenItMatchesTheJournal() throws Exception {
    journal.append("r", NewEvent.of("run.started"));
    journal.append("r", NewEvent.of("step"));
    projections.appended("r");
    reopen();
    assertThat(snapshot("r")).isRegularFile();
    assertThat(data.resolve("runs/r/run.json.tmp")).doesNotExist();

    // Mark the snapshot so that using it (rather than refolding) shows.
    String json = Files.readString(snapshot("r"), StandardCharsets.UTF_8);
    Files.writeString(
        snapshot("r"), json.replace("\"status\":\"running\"", "\"status\":\"marked\""));

    assertThat(projections.get("r").status()).isEqualTo("marked");
  }

  @Test
  void staleSnapshot_behindTheJournal_getsTheTailFoldedOnTop() {
    journal.append("r", NewEvent.of("run.started"));
    projections.appended("r");
    projections.flush();
    journal.append("r", NewEvent.of("signal.emitted", "{\"name\":\"warning\"}"));
    journal.append("r", NewEvent.of("run.completed"));
    reopen();

    RunProjection projection = projections.get("r");

    assertThat(projection.status()).isEqualTo("succeeded");
    assertThat(projection.signals()).containsEntry("warning", 1L);
    assertThat(projection).isEqualTo(rebuilt("r"));
  }

  @Test
  void snapshotAheadOfTheJournal_orUnreadable_isRebuilt() throws Exception {
    for (int i = 0; i < 5; i++) {
      journal.append("r", NewEvent.of("step"));
    }
    projections.appended("r");
    reopen();
    String ahead =
        Files.readString(snapshot("r"), StandardCharsets.UTF_8)
            .replace("\"main\":5", "\"main\":9")
            .replace("\"status\":\"running\"", "\"status\":\"marked\"");
    Files.writeString(snapshot("r"), ahead);

    assertThat(projections.get("r").status()).isEqualTo("running");
    assertThat(projections.get("r")).isEqualTo(rebuilt("r"));

    projections.invalidate("r");
    Files.writeString(snapshot("r"), "{\"format\":\"runjournal.run/v1\",\"journalBytes\":");
    assertThat(projections.get("r")).isEqualTo(rebuilt("r"));
  }

  @Test
  void aRunWithoutEvents_isPendingWithNoSnapshotWritten() {
    journal.create("empty");
    projections.appended("empty");
    projections.flush();

    assertThat(projections.get("empty").status()).isEqualTo("pending");
    assertThat(projections.get("never")).isEqualTo(new RunProjection("never"));
  }

  /** Random appends over two branches, with flushes and reopenings at random points. */
  @RepeatedTest(10)
  void foldedIncrementally_equalsRebuiltFromTheJournal() {
    Random random = new Random();
    String[] types = {"step", "participant.seen", "signal.emitted", "progress.reported", "log"};
    int appends = 1 + random.nextInt(120);
    for (int i = 0; i < appends; i++) {
      String type = types[random.nextInt(types.length)];
      String data =
          switch (type) {
            case "participant.seen" -> "{\"id\":\"p" + random.nextInt(4) + "\"}";
            case "signal.emitted" -> "{\"name\":\"s" + random.nextInt(3) + "\"}";
            case "progress.reported" -> "{\"completed\":" + i + ",\"total\":" + appends + "}";
            default -> null;
          };
      String branch = random.nextInt(5) == 0 ? "side" : "main";
      int batch = 1 + random.nextInt(3);
      NewEvent event = data == null ? NewEvent.of(type) : NewEvent.of(type, data);
      journal.append("r", AppendRequest.of(List.of(event).stream().toList()).onBranch(branch));
      if (batch > 1) {
        journal.append("r", AppendRequest.of(NewEvent.of("log"), NewEvent.of("log")));
      }
      projections.appended("r");
      switch (random.nextInt(12)) {
        case 0 -> projections.flush();
        case 1 -> reopen();
        case 2 -> projections.get("r");
        default -> {}
      }
    }

    assertThat(json(projections.get("r"))).isEqualTo(json(rebuilt("r")));
    assertThat(projections.get("r")).isEqualTo(rebuilt("r"));
    List<Event> all = journal.read("r", ReadQuery.all().limit(100_000)).events();
    assertThat(projections.get("r").heads().get("main")).isEqualTo(all.getLast().seq());
  }
}
