package io.runjournal.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.runjournal.AppendRequest;
import io.runjournal.FsyncPolicy;
import io.runjournal.Journal;
import io.runjournal.JournalOptions;
import io.runjournal.ReadQuery;
import io.runjournal.ReadResult;
import io.runjournal.model.Event;
import io.runjournal.model.NewEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A descending read of a run the process holds no state for reads the file from its end (the
 * "latest event of type X" walk after a restart); it must answer exactly what the indexed read of a
 * warm run answers.
 */
class BackwardReadTest {
  @TempDir Path data;

  private static final JournalOptions OPTIONS =
      JournalOptions.defaults().withFsync(FsyncPolicy.NONE);

  @Test
  void coldDescendingReads_answerWhatWarmReadsAnswer() throws Exception {
    Random random = new Random(7);
    String[] types = {"step", "session_id", "log", "tool.called"};
    try (Journal journal = Journal.open(data, OPTIONS)) {
      for (int i = 0; i < 3000; i++) {
        String type = types[random.nextInt(types.length)];
        // Some events are large, so lines span the reader's 64 KiB chunks.
        String text = "x".repeat(random.nextInt(50) == 0 ? 70_000 : random.nextInt(200));
        NewEvent event = NewEvent.of(type, "{\"i\":" + i + ",\"t\":\"" + text + "\"}");
        journal.append(
            "r", AppendRequest.of(event).onBranch(random.nextInt(6) == 0 ? "side" : "main"));
      }
    }
    Path file = data.resolve("runs/r/events.jsonl");
    Files.writeString(file, "not an event\n", StandardOpenOption.APPEND); // skipped by both
    try (Journal journal = Journal.open(data, OPTIONS)) {
      journal.append("r", NewEvent.of("step"));
    }
    Files.writeString(file, "{\"seq\":99", StandardOpenOption.APPEND); // a torn tail

    for (int q = 0; q < 200; q++) {
      ReadQuery query =
          ReadQuery.all()
              .newestFirst()
              .branch(random.nextBoolean() ? "main" : "side")
              .limit(1 + random.nextInt(random.nextBoolean() ? 3 : 500));
      if (random.nextBoolean()) {
        query = query.types(Set.of(types[random.nextInt(types.length)]));
      }
      if (random.nextInt(3) == 0) {
        query = query.afterSeq(random.nextInt(2000));
      }
      if (random.nextInt(3) == 0) {
        query = query.beforeSeq(1 + random.nextInt(2600));
      }
      ReadResult cold;
      try (Journal journal = Journal.open(data, OPTIONS)) {
        cold = journal.read("r", query);
      }
      ReadResult warm;
      try (Journal journal = Journal.open(data, OPTIONS)) {
        journal.read("r", ReadQuery.all().limit(1)); // builds the run's state and index
        warm = journal.read("r", query);
      }
      assertThat(cold.events()).as("query %s", query).isEqualTo(warm.events());
      assertThat(cold.next()).as("next of %s", query).isEqualTo(warm.next());
      assertThat(cold.head()).as("head of %s", query).isEqualTo(warm.head());
    }
  }

  @Test
  void latestOfType_onAColdRun_isTheLastSuchEvent() throws Exception {
    try (Journal journal = Journal.open(data, OPTIONS)) {
      journal.append("r", NewEvent.of("session_id", "\"s-1\""));
      for (int i = 0; i < 500; i++) {
        journal.append("r", NewEvent.of("log"));
      }
      journal.append("r", NewEvent.of("session_id", "\"s-2\""));
      journal.append("r", NewEvent.of("log"));
    }
    try (Journal journal = Journal.open(data, OPTIONS)) {
      ReadResult latest =
          journal.read("r", ReadQuery.all().types(Set.of("session_id")).newestFirst().limit(1));

      assertThat(latest.events()).extracting(Event::data).containsExactly("\"s-2\"");
      assertThat(latest.head()).isEqualTo(503);
      assertThat(latest.next()).isEqualTo(502);
      assertThat(journal.read("never", ReadQuery.all().newestFirst()).events()).isEmpty();
    }
    assertThat(
            new String(
                Files.readAllBytes(data.resolve("runs/r/events.jsonl")), StandardCharsets.UTF_8))
        .endsWith("\n");
  }
}
