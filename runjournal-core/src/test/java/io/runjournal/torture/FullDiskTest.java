package io.runjournal.torture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.runjournal.AppendRequest;
import io.runjournal.FsyncPolicy;
import io.runjournal.Journal;
import io.runjournal.JournalOptions;
import io.runjournal.StorageException;
import io.runjournal.StorageFullException;
import io.runjournal.internal.store.FileJournal;
import io.runjournal.model.Event;
import io.runjournal.model.NewEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A full disk and failing writes or syncs (DESIGN §4: a batch is all or nothing; nothing of a
 * failed append is acknowledged; appends work again once space returns). Faults are injected
 * through {@link io.runjournal.internal.store.FileOps}; one test fills a real, small tmpfs when the
 * test runs as root and may mount one.
 */
class FullDiskTest {
  private static final String RUN = "filling";
  private static final String NO_SPACE = "No space left on device";

  @TempDir Path data;
  @TempDir Path work;

  private final FaultyFileOps ops = new FaultyFileOps();
  private Journal journal;
  private Path tmpfs;

  @AfterEach
  void closeAndUnmount() throws Exception {
    try {
      if (journal != null) {
        journal.close();
      }
    } finally {
      if (tmpfs != null && command("umount", tmpfs.toString()) != 0) {
        command("umount", "-l", tmpfs.toString());
      }
    }
  }

  /**
   * @param bytesFirst how much of the batch reaches the file before the failure: nothing, one byte,
   *     most of a line, or whole lines and then part of the next
   */
  @ParameterizedTest(name = "{0} bytes written, then {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "0    | No space left on device",
        "1    | No space left on device",
        "150  | No space left on device",
        "700  | No space left on device",
        "1900 | Disk quota exceeded",
        "700  | Input/output error",
      })
  void append_whenAWriteFailsPartWay_writesNoneOfTheBatch_andAppendsResumeAtTheNextSeq(
      int bytesFirst, String error) throws Exception {
    journal = FileJournal.open(data, JournalOptions.defaults(), ops);
    List<Event> acknowledged = appendSingles(3);
    Path file = journalFile();
    long sizeBefore = Files.size(file);
    AppendRequest batch = batchOfFive("retried");

    ops.failWrites(error, bytesFirst);
    Class<? extends StorageException> expected =
        error.equals("Input/output error") ? StorageException.class : StorageFullException.class;
    assertThatThrownBy(() -> journal.append(RUN, batch))
        .isExactlyInstanceOf(expected)
        .hasMessageContaining(file.toString())
        .hasMessageContaining(error)
        .satisfies(e -> assertThat(((StorageException) e).path()).isEqualTo(file));

    assertThat(Files.size(file)).as("partial bytes removed").isEqualTo(sizeBefore);
    assertThat(Journals.readAll(journal, RUN, "main")).isEqualTo(acknowledged);
    assertThat(journal.head(RUN, "main")).isEqualTo(3);
    assertThat(journal.verify(RUN).ok()).isTrue();

    ops.heal();
    assertThat(journal.append(RUN, batch).seqs()).containsExactly(4L, 5L, 6L, 7L, 8L);
    assertThat(journal.append(RUN, batch).allDuplicates()).isTrue();
    Journals.assertDenseAndUnique(journal, RUN, "after the disk recovered");
  }

  @Test
  void append_whenTheSyncFails_refusesAppendsUntilReopened_andARetryByIdWritesNothingTwice() {
    journal = FileJournal.open(data, JournalOptions.defaults().withFsync(FsyncPolicy.ALWAYS), ops);
    appendSingles(3);
    AppendRequest batch = batchOfFive("unsynced");

    ops.failForce("Input/output error");
    assertThatThrownBy(() -> journal.append(RUN, batch))
        .isExactlyInstanceOf(StorageException.class)
        .hasMessageContaining("syncing " + journalFile())
        .hasMessageContaining("Input/output error");
    long head = journal.head(RUN, "main");
    assertThat(head).as("the batch is whole or absent, never partial").isIn(3L, 8L);

    ops.heal();
    assertThatThrownBy(() -> journal.append(RUN, NewEvent.of("after.sync.failure")))
        .isExactlyInstanceOf(StorageException.class)
        .hasMessageContaining("an earlier fsync failed (Input/output error)")
        .hasMessageContaining("until the journal is reopened");
    assertThat(journal.head(RUN, "main")).isEqualTo(head);

    journal.close();
    journal = FileJournal.open(data, JournalOptions.defaults().withFsync(FsyncPolicy.ALWAYS), ops);
    assertThat(journal.append(RUN, batch).seqs()).containsExactly(4L, 5L, 6L, 7L, 8L);
    assertThat(journal.append(RUN, NewEvent.of("after.sync.failure")).first()).isEqualTo(9);
    Journals.assertDenseAndUnique(journal, RUN, "after the journal was reopened");
  }

  @Test
  void append_onAFullTmpfs_failsStorageFull_keepsEveryAcknowledgedEvent_andRecoversWithSpace()
      throws Exception {
    Path mountPoint = work.resolve("tmpfs");
    Files.createDirectories(mountPoint);
    assumeThat(command("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", mountPoint.toString()))
        .as("needs root and permission to mount a tmpfs")
        .isZero();
    tmpfs = mountPoint;
    Path tmpfsData = tmpfs.resolve("data");
    journal = Journal.open(tmpfsData, JournalOptions.defaults());
    for (int i = 0; i < 3; i++) {
      journal.append(RUN, event(i));
    }
    fill(tmpfs.resolve("filler"));

    Path file = tmpfsData.resolve("runs").resolve(RUN).resolve("events.jsonl");
    int acknowledged = 3;
    StorageFullException full = null;
    while (full == null && acknowledged < 10_000) {
      try {
        assertThat(journal.append(RUN, event(acknowledged)).first()).isEqualTo(acknowledged + 1);
        acknowledged++;
      } catch (StorageFullException e) {
        full = e;
      }
    }

    assertThat(full).as("the disk must fill up").isNotNull();
    assertThat(full.path()).isEqualTo(file);
    assertThat(full).hasMessageContaining(file.toString());
    List<Event> events = Journals.readAll(journal, RUN, "main");
    assertThat(events)
        .extracting(Event::id)
        .isEqualTo(IntStream.range(0, acknowledged).mapToObj(i -> "e-" + i).toList());
    long lineBytes =
        events.stream().mapToLong(e -> e.line().getBytes(StandardCharsets.UTF_8).length + 1).sum();
    assertThat(Files.size(file)).as("no partial line left behind").isEqualTo(lineBytes);
    assertThat(journal.verify(RUN).ok()).isTrue();

    Files.delete(tmpfs.resolve("filler"));
    assertThat(journal.append(RUN, event(acknowledged)).first()).isEqualTo(acknowledged + 1);
    Journals.assertDenseAndUnique(journal, RUN, "after space returned");
  }

  private List<Event> appendSingles(int count) {
    for (int i = 0; i < count; i++) {
      journal.append(RUN, event(i));
    }
    return Journals.readAll(journal, RUN, "main");
  }

  private static NewEvent event(int i) {
    return NewEvent.of("step", "{\"i\":" + i + ",\"pad\":\"" + "p".repeat(400) + "\"}")
        .withId("e-" + i);
  }

  /** Five events of about 380 bytes each. */
  private static AppendRequest batchOfFive(String prefix) {
    List<NewEvent> events = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      events.add(
          NewEvent.of("batch.step", "{\"i\":" + i + ",\"pad\":\"" + "b".repeat(300) + "\"}")
              .withId(prefix + "-" + i));
    }
    return AppendRequest.of(events);
  }

  private Path journalFile() {
    return data.resolve("runs").resolve(RUN).resolve("events.jsonl");
  }

  /** Writes to {@code filler} until the file system is full. */
  private static void fill(Path filler) {
    byte[] chunk = new byte[4096];
    try (OutputStream out = Files.newOutputStream(filler)) {
      for (int i = 0; i < 1_000; i++) {
        out.write(chunk);
        out.flush();
      }
    } catch (IOException e) {
      assertThat(e).hasMessageContaining(NO_SPACE);
      return;
    }
    throw new AssertionError("the tmpfs never filled up");
  }

  private int command(String... command) throws Exception {
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("command.log").toFile())
            .start();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return -1;
    }
    return process.exitValue();
  }
}
