package io.runjournal.torture;

import static org.assertj.core.api.Assertions.assertThat;

import io.runjournal.AppendRequest;
import io.runjournal.FsyncPolicy;
import io.runjournal.Journal;
import io.runjournal.JournalOptions;
import io.runjournal.ReadQuery;
import io.runjournal.RepairReport;
import io.runjournal.VerifyReport;
import io.runjournal.model.Event;
import io.runjournal.model.NewEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Cuts a journal at every byte of its last two lines, as a crash in the middle of a write leaves
 * it, and checks recovery (DESIGN §3, torn tail): reads never show the partial line, the next
 * append or {@code repair()} moves exactly the partial bytes to {@code events.jsonl.torn} (one
 * newline-terminated record per quarantined tail) and the journal continues at the next seq.
 */
class TornTailTest {
  private static final String RUN = "torn";
  private static final Charset UTF8 = StandardCharsets.UTF_8;
  private static final JournalOptions OPTIONS =
      JournalOptions.defaults().withFsync(FsyncPolicy.NONE);

  @TempDir Path work;

  @ParameterizedTest(name = "{0} journal")
  @ValueSource(strings = {"mixed", "two-line"})
  void appendAfterCut_atEveryByteOfTheLastTwoLines_continuesAfterTheLastCompleteLine(String fixture)
      throws Exception {
    byte[] original = writeOriginal(fixture);
    for (int cut = startOfSecondToLastLine(original); cut < original.length; cut++) {
      Path data = copyCutAt(original, cut);
      int complete = lastNewlineBefore(original, cut) + 1;
      long completeLines = countNewlines(original, complete);
      NewEvent appended = NewEvent.of("after.cut", "{\"cut\":" + cut + "}").withId("after-" + cut);

      long seq;
      List<Event> events;
      try (Journal journal = Journal.open(data, OPTIONS)) {
        seq = journal.append(RUN, AppendRequest.of(appended)).first();
        events = Journals.readAll(journal, RUN, "main");
        assertThat(journal.verify(RUN).ok()).as("verify after cut at %d", cut).isTrue();
      }

      String at = "cut at byte " + cut + " of " + original.length;
      assertThat(seq).as(at).isEqualTo(completeLines + 1);
      assertThat(events).as(at).hasSize((int) completeLines + 1);
      assertThat(events.getLast().id()).as(at).isEqualTo("after-" + cut);
      byte[] journalBytes = Files.readAllBytes(journalFile(data));
      assertThat(Arrays.copyOf(journalBytes, complete))
          .as("%s: the complete lines are untouched", at)
          .isEqualTo(Arrays.copyOf(original, complete));
      assertThat(new String(journalBytes, complete, journalBytes.length - complete, UTF8))
          .as(at)
          .isEqualTo(events.getLast().line() + "\n");
      assertTornFile(data, original, complete, cut, at);
    }
  }

  @ParameterizedTest(name = "{0} journal")
  @ValueSource(strings = {"mixed", "two-line"})
  void repair_atEveryByteOfTheLastTwoLines_reportsThePartialLength_andReadsNeverShowIt(
      String fixture) throws Exception {
    byte[] original = writeOriginal(fixture);
    List<String> originalLines = lines(original);
    for (int cut = startOfSecondToLastLine(original); cut < original.length; cut++) {
      Path data = copyCutAt(original, cut);
      int complete = lastNewlineBefore(original, cut) + 1;
      int completeLines = (int) countNewlines(original, complete);
      String at = "cut at byte " + cut + " of " + original.length;

      try (Journal journal = Journal.open(data, OPTIONS)) {
        List<Event> tolerant = journal.read(RUN, ReadQuery.all()).events();
        List<Event> strict = journal.read(RUN, ReadQuery.all().failOnMalformed()).events();
        List<Event> newest = journal.read(RUN, ReadQuery.all().newestFirst().limit(1)).events();
        VerifyReport before = journal.verify(RUN);
        RepairReport repair = journal.repair(RUN);
        RepairReport again = journal.repair(RUN);
        VerifyReport after = journal.verify(RUN);

        assertThat(tolerant)
            .as(at)
            .extracting(Event::line)
            .isEqualTo(originalLines.subList(0, completeLines));
        assertThat(strict).as(at).isEqualTo(tolerant);
        assertThat(newest)
            .as(at)
            .isEqualTo(completeLines == 0 ? List.of() : List.of(tolerant.getLast()));
        assertThat(journal.head(RUN, "main")).as(at).isEqualTo(completeLines);
        assertThat(before.tornBytes()).as("%s: verify before repair", at).isEqualTo(cut - complete);
        assertThat(before.problems()).as(at).isEmpty();
        assertThat(repair.tornBytes()).as("%s: repair", at).isEqualTo(cut - complete);
        assertThat(again.tornBytes()).as("%s: second repair", at).isZero();
        assertThat(after.ok()).as("%s: verify after repair", at).isTrue();
        assertThat(Files.size(journalFile(data))).as(at).isEqualTo(complete);
      }
      assertTornFile(data, original, complete, cut, at);
    }
  }

  private static void assertTornFile(Path data, byte[] original, int complete, int cut, String at)
      throws Exception {
    Path torn = journalFile(data).resolveSibling("events.jsonl.torn");
    if (cut == complete) {
      assertThat(torn)
          .as("%s: a cut at a line end leaves nothing to quarantine", at)
          .doesNotExist();
      return;
    }
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.write(original, complete, cut - complete);
    expected.write('\n');
    assertThat(Files.readAllBytes(torn))
        .as("%s: the torn file holds exactly the cut-off bytes, then a newline", at)
        .isEqualTo(expected.toByteArray());
  }

  /** Writes the fixture journal with the real store and returns its bytes. */
  private byte[] writeOriginal(String fixture) throws Exception {
    Path data = work.resolve("original");
    try (Journal journal = Journal.open(data, OPTIONS)) {
      if (fixture.equals("mixed")) {
        journal.append(RUN, NewEvent.of("run.created", "{\"by\":\"torn-tail-test\"}"));
        journal.append(
            RUN,
            AppendRequest.of(
                NewEvent.of("batch.a", "[1,2,3]").withId("a"),
                NewEvent.of("batch.b", "\"plain string\"").withId("b")));
        // Longer than the 64 KiB read chunk, so scans carry a line across chunks.
        journal.append(RUN, NewEvent.of("big", "{\"blob\":\"" + "z".repeat(100_000) + "\"}"));
        journal.append(RUN, NewEvent.of("empty"));
        journal.append(RUN, NewEvent.of("number", "42").withMeta("{\"agent\":\"ä\"}"));
      }
      journal.append(
          RUN,
          NewEvent.of("text.delta", "{\"text\":\"grüße, 数据 and 🚀 — mixed widths\"}")
              .withId("unicode-1"));
      journal.append(
          RUN, NewEvent.of("node.finished", "{\"ok\":true,\"note\":\"ünïcödé 終わり\"}").withId("u2"));
    }
    return Files.readAllBytes(journalFile(data));
  }

  private Path copyCutAt(byte[] original, int cut) throws Exception {
    Path data = work.resolve("cut-" + cut);
    Path journal = journalFile(data);
    Files.createDirectories(journal.getParent());
    Files.write(journal, Arrays.copyOf(original, cut));
    return data;
  }

  private static Path journalFile(Path data) {
    return data.resolve("runs").resolve(RUN).resolve("events.jsonl");
  }

  private static int startOfSecondToLastLine(byte[] original) {
    int lastNewline = original.length - 1;
    int previous = lastNewlineBefore(original, lastNewline);
    return lastNewlineBefore(original, previous) + 1;
  }

  /** The index of the last newline strictly before {@code end}, or -1. */
  private static int lastNewlineBefore(byte[] bytes, int end) {
    for (int i = end - 1; i >= 0; i--) {
      if (bytes[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private static long countNewlines(byte[] bytes, int end) {
    long count = 0;
    for (int i = 0; i < end; i++) {
      if (bytes[i] == '\n') {
        count++;
      }
    }
    return count;
  }

  private static List<String> lines(byte[] bytes) {
    List<String> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        lines.add(new String(bytes, start, i - start, UTF8));
        start = i + 1;
      }
    }
    return lines;
  }
}
