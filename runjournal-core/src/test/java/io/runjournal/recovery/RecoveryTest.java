package io.runjournal.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runjournal.FsyncPolicy;
import io.runjournal.Journal;
import io.runjournal.JournalOptions;
import io.runjournal.ReadQuery;
import io.runjournal.RunEndedException;
import io.runjournal.model.Event;
import io.runjournal.model.NewEvent;
import io.runjournal.projection.FileSnapshots;
import io.runjournal.projection.RunProjection;
import io.runjournal.projection.RunProjections;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecoveryTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

  @TempDir Path data;
  private final MutableClock clock = new MutableClock(T0);
  private FsyncPolicy fsync = FsyncPolicy.NONE;
  private Journal journal;
  private RunProjections projections;

  /** A clock the test moves; shared by the journal (event times) and recovery ("now"). */
  static final class MutableClock extends Clock {
    private final AtomicLong millis;

    MutableClock(Instant start) {
      millis = new AtomicLong(start.toEpochMilli());
    }

    void advance(Duration by) {
      millis.addAndGet(by.toMillis());
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long millis() {
      return millis.get();
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis.get());
    }
  }

  @BeforeEach
  void open() {
    journal = Journal.open(data, JournalOptions.defaults().withFsync(fsync).withClock(clock));
    projections = new RunProjections(journal, new FileSnapshots(data), 100);
  }

  @AfterEach
  void close() {
    journal.close();
  }

  /** Simulates a crash and a restart: the snapshots are not flushed, the journal reopened. */
  private void restart() {
    journal.close();
    open();
  }

  private RecoveryReport recover() {
    return recover(RecoveryOptions.defaults());
  }

  private RecoveryReport recover(RecoveryOptions options) {
    return new Recovery(journal, projections, options.withClock(clock)).run();
  }

  private List<Event> events(String run) {
    List<Event> all = new ArrayList<>();
    for (String branch : journal.info(run).heads().keySet()) {
      all.addAll(journal.read(run, ReadQuery.all().branch(branch).limit(10_000)).events());
    }
    return all;
  }

  private List<Event> ofType(String run, String type) {
    return events(run).stream().filter(event -> event.type().equals(type)).toList();
  }

  private static JsonNode data(Event event) {
    try {
      return JSON.readTree(event.data());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path journalFile(String run) {
    return data.resolve("runs").resolve(run).resolve("events.jsonl");
  }

  private void appendRaw(String run, String bytes) throws IOException {
    Files.writeString(journalFile(run), bytes, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
  }

  @Test
  void aTornTail_isQuarantined_reported_andCountedInRunRecovered() throws Exception {
    journal.append("cut", NewEvent.of("run.started"));
    journal.append("cut", NewEvent.of("step", "{\"n\":1}"));
    journal.close();
    String torn = "{\"seq\":3,\"ts\":\"2026-11-21T10:00:00.000Z\",\"run\":\"cut\",\"bra";
    appendRaw("cut", torn);
    open();

    RecoveryReport report = recover();

    int tornBytes = torn.getBytes(StandardCharsets.UTF_8).length;
    assertThat(report.repaired()).containsExactly(new RecoveryReport.Repaired("cut", tornBytes));
    assertThat(report.runsRepaired()).isEqualTo(1);
    assertThat(report.bytesQuarantined()).isEqualTo(tornBytes);
    assertThat(report.recovered()).containsExactly("cut");
    assertThat(Files.readString(journalFile("cut").resolveSibling("events.jsonl.torn")))
        .isEqualTo(torn + "\n");
    List<Event> recovered = ofType("cut", "run.recovered");
    assertThat(recovered).hasSize(1);
    assertThat(recovered.getFirst().seq()).isEqualTo(3);
    assertThat(data(recovered.getFirst()).get("head").asLong()).isEqualTo(2);
    assertThat(data(recovered.getFirst()).get("tornBytes").asLong()).isEqualTo(tornBytes);
    assertThat(journal.verify("cut").ok()).isTrue();
  }

  @Test
  void runRecovered_carriesTheHeadBeforeIt_andTheDowntimeSinceTheLastEvent() {
    journal.append("r", NewEvent.of("run.started"));
    journal.append("r", NewEvent.of("step"));
    restart();
    clock.advance(Duration.ofMinutes(7));

    recover();

    Event recovered = ofType("r", "run.recovered").getFirst();
    assertThat(recovered.data())
        .isEqualTo("{\"head\":2,\"tornBytes\":0,\"downtimeMs\":" + 7 * 60_000 + "}");
    assertThat(recovered.branch()).isEqualTo("main");
    assertThat(recovered.ts()).isEqualTo(T0.plus(Duration.ofMinutes(7)));
  }

  @Test
  void aStaleSnapshot_isRebuilt_andTheNextFlushSavesItWithTheRecoveredEvent() throws Exception {
    journal.append("r", NewEvent.of("run.started"));
    projections.appended("r");
    projections.flush();
    journal.append("r", NewEvent.of("signal.emitted", "{\"name\":\"warning\"}"));
    journal.append("r", NewEvent.of("progress.reported", "{\"completed\":1,\"total\":4}"));
    Path snapshot = data.resolve("runs/r/run.json");
    journal.append("other", NewEvent.of("step"));
    Files.writeString(
        data.resolve("runs/other/run.json"), "{\"format\":\"runjournal.run/v1\",\"journalBytes\":");
    restart();
    assertThat(Files.readString(snapshot)).doesNotContain("warning");

    recover();
    assertThat(Files.readString(snapshot))
        .as("saved by the flush, not by recovery")
        .doesNotContain("warning");
    projections.flush();

    RunProjection saved = new FileSnapshots(data).load("r").orElseThrow().projection();
    assertThat(saved.signals()).containsEntry("warning", 1L);
    assertThat(saved.countsByType()).containsEntry("run.recovered", 1L);
    assertThat(saved.heads()).containsEntry("main", 4L);
    assertThat(saved).isEqualTo(rebuilt("r"));
    RunProjection other = new FileSnapshots(data).load("other").orElseThrow().projection();
    assertThat(other).isEqualTo(rebuilt("other"));
  }

  /** The projection folded from scratch over every event the journal has. */
  private RunProjection rebuilt(String run) {
    RunProjection projection = new RunProjection(run);
    events(run).forEach(projection::apply);
    projection.setMalformedLines(journal.info(run).malformedLines());
    return projection;
  }

  @Test
  void eachActiveRun_getsExactlyOneRunRecovered_perRestart() {
    for (String run : List.of("a", "b", "c")) {
      journal.append(run, NewEvent.of("run.started"));
    }
    journal.append("b", NewEvent.of("step"));
    journal.append("done", NewEvent.of("run.started"));
    journal.append("done", NewEvent.of("run.completed"));
    restart();

    RecoveryReport first = recover();
    restart();
    RecoveryReport second = recover();

    assertThat(first.runsChecked()).isEqualTo(3);
    assertThat(first.recovered()).containsExactly("a", "b", "c");
    assertThat(second.recovered()).containsExactly("a", "b", "c");
    for (String run : List.of("a", "b", "c")) {
      List<Event> recovered = ofType(run, "run.recovered");
      assertThat(recovered).as(run).hasSize(2);
      // The second recovery's head is the first recovery's own event.
      assertThat(data(recovered.get(1)).get("head").asLong()).isEqualTo(recovered.get(0).seq());
    }
    assertThat(ofType("done", "run.recovered")).isEmpty();
    assertThat(journal.activeRuns()).containsExactly("a", "b", "c");
  }

  @Test
  void manyRuns_recoveredInParallel_withFsyncAlways_eachExactlyOnce() {
    close();
    fsync = FsyncPolicy.ALWAYS;
    open();
    List<String> runs = IntStream.range(0, 200).mapToObj(n -> "run-" + n).toList();
    for (String run : runs) {
      journal.append(run, NewEvent.of("run.started"));
    }
    restart();

    RecoveryReport report = recover(RecoveryOptions.defaults().withParallelism(16));
    projections.flush();

    assertThat(report.ok()).isTrue();
    assertThat(report.recovered()).containsExactlyElementsOf(runs.stream().sorted().toList());
    for (String run : runs) {
      assertThat(ofType(run, "run.recovered")).as(run).hasSize(1);
      assertThat(new FileSnapshots(data).load(run)).as(run).isPresent();
    }
  }

  @Test
  void withInterruptAfter_anIdleRunIsInterrupted_andEnds() {
    journal.append("idle", NewEvent.of("run.started"));
    clock.advance(Duration.ofMinutes(90));
    journal.append("busy", NewEvent.of("run.started"));
    clock.advance(Duration.ofMinutes(30));
    restart();

    RecoveryReport report =
        recover(RecoveryOptions.defaults().withInterruptAfter(Duration.ofHours(1)));

    assertThat(report.recovered()).containsExactly("busy", "idle");
    assertThat(report.interrupted()).containsExactly("idle");
    assertThat(events("idle"))
        .extracting(Event::type)
        .containsExactly("run.started", "run.recovered", "run.interrupted");
    assertThat(data(ofType("idle", "run.interrupted").getFirst()).get("idleMs").asLong())
        .isEqualTo(Duration.ofHours(2).toMillis());
    assertThat(journal.info("idle").endedBy()).isEqualTo("run.interrupted");
    assertThatThrownBy(() -> journal.append("idle", NewEvent.of("step")))
        .isInstanceOf(RunEndedException.class);
    assertThat(journal.activeRuns()).containsExactly("busy");
    assertThat(projections.get("idle").status()).isEqualTo("interrupted");
    assertThat(ofType("busy", "run.interrupted")).isEmpty();
  }

  @Test
  void withoutInterruptAfter_noRunIsInterrupted_howeverIdle() {
    journal.append("idle", NewEvent.of("run.started"));
    clock.advance(Duration.ofDays(365));
    restart();

    RecoveryReport report = recover();

    assertThat(report.interrupted()).isEmpty();
    assertThat(journal.info("idle").ended()).isFalse();
  }

  @Test
  void idleness_ignoresEarlierRecoveries_soRestartsDoNotKeepAnAbandonedRunAlive() {
    journal.append("abandoned", NewEvent.of("run.started"));
    RecoveryOptions interruptAfterAnHour =
        RecoveryOptions.defaults().withInterruptAfter(Duration.ofHours(1));
    clock.advance(Duration.ofMinutes(40));
    restart();
    assertThat(recover(interruptAfterAnHour).interrupted()).isEmpty();
    clock.advance(Duration.ofMinutes(40)); // 40 minutes after run.recovered, 80 after its work
    restart();

    RecoveryReport report = recover(interruptAfterAnHour);

    assertThat(report.interrupted()).containsExactly("abandoned");
    Event recovered = ofType("abandoned", "run.recovered").getLast();
    assertThat(data(recovered).get("downtimeMs").asLong())
        .as("downtime counts from the last event, the earlier recovery included")
        .isEqualTo(Duration.ofMinutes(40).toMillis());
  }

  @Test
  void staleMarkers_ofEndedRuns_deletedRuns_andRunsWithoutEvents_areReleased_notRecovered()
      throws Exception {
    journal.append("open", NewEvent.of("run.started"));
    journal.append("ended", NewEvent.of("run.started"));
    journal.append("ended", NewEvent.of("run.completed"));
    journal.create("empty");
    restart();
    Path active = data.resolve("active");
    Files.createFile(active.resolve("ended")); // a crash between the terminal append and the delete
    Files.createFile(active.resolve("empty"));
    Files.createFile(active.resolve("ghost")); // a run whose directory is gone

    RecoveryReport report = recover();

    assertThat(report.runsChecked()).isEqualTo(4);
    assertThat(report.recovered()).containsExactly("open");
    assertThat(report.markersReleased()).containsExactly("empty", "ended", "ghost");
    assertThat(report.ok()).isTrue();
    assertThat(journal.activeRuns()).containsExactly("open");
    assertThat(ofType("ended", "run.recovered")).isEmpty();
    assertThat(data.resolve("runs/ghost")).doesNotExist();
    assertThat(journalFile("empty")).doesNotExist();
  }

  @Test
  void aRunWhoseOnlyLineIsTorn_isRepaired_andItsMarkerReleased() throws Exception {
    journal.append("first", NewEvent.of("run.started"));
    journal.close();
    Files.writeString(journalFile("first"), "{\"seq\":1,\"ts\"");
    open();

    RecoveryReport report = recover();

    assertThat(report.repaired()).containsExactly(new RecoveryReport.Repaired("first", 13));
    assertThat(report.markersReleased()).containsExactly("first");
    assertThat(report.recovered()).isEmpty();
    assertThat(journal.activeRuns()).isEmpty();
    journal.append("first", NewEvent.of("run.started"));
    assertThat(journal.activeRuns())
        .as("the next first event marks the run again")
        .containsExactly("first");
  }

  @Test
  void aFailureOnOneRun_isReported_andTheOthersAreStillRecovered() throws Exception {
    journal.append("a", NewEvent.of("run.started"));
    journal.append("z", NewEvent.of("run.started"));
    Files.createDirectories(data.resolve("runs/broken/events.jsonl")); // a journal no one can open
    Files.createFile(data.resolve("active/broken"));
    restart();

    RecoveryReport report = recover(RecoveryOptions.defaults().withParallelism(1));

    assertThat(report.recovered()).containsExactly("a", "z");
    assertThat(report.failures()).extracting(RecoveryReport.Failure::run).containsExactly("broken");
    assertThat(report.failures().getFirst().reason()).contains("broken");
    assertThat(report.ok()).isFalse();
    assertThat(report.runsChecked()).isEqualTo(3);
  }

  @Test
  void activeRuns_listsTheMarkedRunsOnly_sorted() throws Exception {
    journal.append("b", NewEvent.of("run.started"));
    journal.append("a", NewEvent.of("run.started"));
    journal.append("ended", NewEvent.of("run.completed"));
    journal.create("created-only");
    Files.createFile(data.resolve("active/.not-a-run"));

    assertThat(journal.activeRuns()).containsExactly("a", "b");
  }

  @Test
  void releaseActiveMarker_keepsTheMarkerOfAnOpenRun() {
    journal.append("open", NewEvent.of("run.started"));

    assertThat(journal.releaseActiveMarker("open")).isFalse();
    assertThat(journal.activeRuns()).containsExactly("open");
    assertThat(journal.releaseActiveMarker("never-marked")).isFalse();
  }

  @Test
  void noActiveRuns_givesAnEmptyReport() {
    RecoveryReport report = recover();

    assertThat(report.runsChecked()).isZero();
    assertThat(report.recovered()).isEmpty();
    assertThat(report.ok()).isTrue();
    assertThat(report.summary()).startsWith("recovery checked 0 active runs in ");
  }

  @Test
  void options_refuseANonPositiveInterruptAfter_andParallelismBelowOne() {
    assertThatThrownBy(() -> RecoveryOptions.defaults().withInterruptAfter(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("interruptAfter");
    assertThatThrownBy(() -> RecoveryOptions.defaults().withParallelism(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("parallelism");
  }
}
