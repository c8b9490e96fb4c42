package io.runjournal.torture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runjournal.Journal;
import io.runjournal.JournalOptions;
import io.runjournal.StorageFullException;
import io.runjournal.internal.store.FileJournal;
import io.runjournal.model.Event;
import io.runjournal.model.NewEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An import is written like an append batch: a write that fails part-way leaves nothing of it, and
 * the import can simply be retried; a torn tail in an otherwise empty journal is quarantined first.
 */
class ImportFaultTest {
  private static final String RUN = "imported";

  @TempDir Path sourceDir;
  @TempDir Path data;

  private final FaultyFileOps ops = new FaultyFileOps();
  private Journal journal;

  @AfterEach
  void close() {
    if (journal != null) {
      journal.close();
    }
  }

  /** 200 events on two branches, about 20 KiB: the import is written in several writes. */
  private List<Event> exportedRun() {
    try (Journal source = Journal.open(sourceDir, JournalOptions.defaults())) {
      for (int i = 0; i < 100; i++) {
        source.append(
            RUN, NewEvent.of("step", "{\"i\":" + i + ",\"pad\":\"" + "p".repeat(60) + "\"}"));
        source.append(
            RUN,
            io.runjournal.AppendRequest.of(NewEvent.of("tick", Integer.toString(i)))
                .onBranch("side"));
      }
      List<Event> events = new ArrayList<>();
      source.forEachEvent(RUN, Long.MAX_VALUE, events::add);
      return events;
    }
  }

  private Path journalFile(Path dir) {
    return dir.resolve("runs").resolve(RUN).resolve("events.jsonl");
  }

  @ParameterizedTest(name = "{0} bytes written, then the disk is full")
  @ValueSource(ints = {0, 1, 5_000, 19_000})
  void import_whenAWriteFailsPartWay_leavesAnEmptyJournal_andARetrySucceeds(int bytesFirst)
      throws Exception {
    List<Event> events = exportedRun();
    journal = FileJournal.open(data, JournalOptions.defaults(), ops);

    ops.failWrites("No space left on device", bytesFirst);
    assertThatThrownBy(() -> journal.importEvents(RUN, events))
        .isExactlyInstanceOf(StorageFullException.class)
        .hasMessageContaining("importing into " + journalFile(data));

    assertThat(Files.size(journalFile(data))).as("partial bytes removed").isZero();
    assertThat(journal.heads(RUN)).isEmpty();
    ops.heal();
    assertThat(journal.importEvents(RUN, events).created()).isTrue();
    assertThat(Files.readAllBytes(journalFile(data)))
        .isEqualTo(Files.readAllBytes(journalFile(sourceDir)));
    assertThat(journal.verify(RUN).ok()).isTrue();
  }

  @Test
  void import_intoAJournalHoldingOnlyATornTail_quarantinesIt_andWrites() throws Exception {
    List<Event> events = exportedRun();
    journal = FileJournal.open(data, JournalOptions.defaults(), ops);
    journal.create(RUN);
    Files.writeString(journalFile(data), "{\"seq\":1,\"ts\":", StandardOpenOption.CREATE_NEW);

    assertThat(journal.importEvents(RUN, events).created()).isTrue();

    assertThat(Files.readAllBytes(journalFile(data)))
        .isEqualTo(Files.readAllBytes(journalFile(sourceDir)));
    assertThat(
            Files.readString(
                journalFile(data).resolveSibling("events.jsonl.torn"), StandardCharsets.UTF_8))
        .isEqualTo("{\"seq\":1,\"ts\":\n");
  }
}
