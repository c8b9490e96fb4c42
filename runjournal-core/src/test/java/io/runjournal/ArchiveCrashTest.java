package io.runjournal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runjournal.internal.store.FileJournal;
import io.runjournal.internal.store.FileOps;
import io.runjournal.model.NewEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Archiving is crash-safe at every step: whichever step fails (as a crash there would leave the
 * files), the run reads exactly as before, has its plain journal or its complete archive, refuses
 * appends, and a later archive completes. Each intermediate state is also built by hand.
 */
class ArchiveCrashTest {
  private static final String RUN = "done";

  @TempDir Path data;

  /** The steps of archiving, in order, as they reach the file operations. */
  enum Step {
    CREATE_TEMP,
    WRITE_TEMP,
    SYNC_TEMP,
    RENAME,
    SYNC_DIRECTORY_AFTER_RENAME,
    DELETE_JOURNAL,
    SYNC_DIRECTORY_AFTER_DELETE
  }

  /** Fails one step of archiving, as a crash there would: what is done stays done. */
  private static final class FailingStep implements FileOps {
    private final Step failing;
    private final Set<FileChannel> temp = ConcurrentHashMap.newKeySet();
    private int directorySyncs;

    FailingStep(Step failing) {
      this.failing = failing;
    }

    private void step(Step step) throws IOException {
      if (step == failing) {
        throw new IOException("simulated crash at " + step);
      }
    }

    @Override
    public FileChannel openNew(Path path) throws IOException {
      step(Step.CREATE_TEMP);
      FileChannel channel = FileOps.super.openNew(path);
      temp.add(channel);
      return channel;
    }

    @Override
    public int write(FileChannel channel, ByteBuffer buffer) throws IOException {
      if (temp.contains(channel) && failing == Step.WRITE_TEMP) {
        buffer.limit(buffer.position() + Math.min(buffer.remaining(), 10)); // a partial write
        channel.write(buffer);
        step(Step.WRITE_TEMP);
      }
      return FileOps.super.write(channel, buffer);
    }

    @Override
    public void force(FileChannel channel) throws IOException {
      if (temp.contains(channel)) {
        step(Step.SYNC_TEMP);
      }
      FileOps.super.force(channel);
    }

    @Override
    public void move(Path source, Path target) throws IOException {
      step(Step.RENAME);
      FileOps.super.move(source, target);
    }

    @Override
    public void delete(Path path) throws IOException {
      step(Step.DELETE_JOURNAL);
      FileOps.super.delete(path);
    }

    @Override
    public void forceDirectory(Path dir) throws IOException {
      step(
          directorySyncs++ == 0
              ? Step.SYNC_DIRECTORY_AFTER_RENAME
              : Step.SYNC_DIRECTORY_AFTER_DELETE);
      FileOps.super.forceDirectory(dir);
    }
  }

  private Path file(String name) {
    return data.resolve("runs").resolve(RUN).resolve(name);
  }

  private ReadForms writeFinishedRun() throws InterruptedException {
    try (Journal journal = Journal.open(data)) {
      ArchiveAndDeleteTest.writeFinishedRun(journal, RUN);
      return ReadForms.of(journal, RUN);
    }
  }

  /** What every intermediate state must satisfy, read by a journal opened afresh (a restart). */
  private void assertReadsAsBeforeAndRefusesAppends(ReadForms before, String state)
      throws Exception {
    assertThat(Files.exists(file("events.jsonl")) || Files.exists(file("events.jsonl.gz")))
        .as("%s: the plain journal or the archive exists", state)
        .isTrue();
    boolean plain = Files.exists(file("events.jsonl"));
    try (Journal journal = Journal.open(data)) {
      assertThat(ReadForms.of(journal, RUN)).as("%s: reads", state).isEqualTo(before);
      assertThatThrownBy(() -> journal.append(RUN, NewEvent.of("late")))
          .as("%s: append", state)
          .isInstanceOf(RunEndedException.class);
    }
    assertThat(Files.exists(file("events.jsonl")))
        .as("%s: no plain journal created by the refused append", state)
        .isEqualTo(plain);
  }

  /** A later archive completes: only the archive is left, and it reads as before. */
  private void assertArchiveCompletes(ReadForms before, String state) throws Exception {
    try (Journal journal = Journal.open(data)) {
      journal.archive(RUN);
      assertThat(ReadForms.of(journal, RUN))
          .as("%s: reads after archiving", state)
          .isEqualTo(before);
    }
    assertThat(file("events.jsonl")).doesNotExist();
    assertThat(file("events.jsonl.gz.tmp")).doesNotExist();
    assertThat(file("events.jsonl.gz")).exists();
  }

  @ParameterizedTest
  @EnumSource(Step.class)
  void archive_failingAtEachStep_leavesAReadableRun_andALaterArchiveCompletes(Step step)
      throws Exception {
    ReadForms before = writeFinishedRun();

    try (Journal failing =
        FileJournal.open(data, JournalOptions.defaults(), new FailingStep(step))) {
      assertThatThrownBy(() -> failing.archive(RUN))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("simulated crash at " + step);
      assertThat(ReadForms.of(failing, RUN)).as("the same instance reads").isEqualTo(before);
    }

    assertReadsAsBeforeAndRefusesAppends(before, "after a crash at " + step);
    assertArchiveCompletes(before, "after a crash at " + step);
  }

  @Test
  void state_plainJournalAndAPartialTemporaryArchive_readsThePlainJournal() throws Exception {
    ReadForms before = writeFinishedRun();
    Files.write(file("events.jsonl.gz.tmp"), new byte[] {0x1f, (byte) 0x8b, 8, 0, 0});

    assertReadsAsBeforeAndRefusesAppends(before, "plain + partial temp");
    try (Journal journal = Journal.open(data)) {
      assertThat(journal.isArchived(RUN)).isFalse();
    }
    assertArchiveCompletes(before, "plain + partial temp");
  }

  @Test
  void state_plainJournalAndACompleteArchive_readsThePlainJournal() throws Exception {
    ReadForms before = writeFinishedRun();
    Path saved = data.resolve("saved.jsonl");
    Files.copy(file("events.jsonl"), saved);
    try (Journal journal = Journal.open(data)) {
      journal.archive(RUN);
    }
    Files.copy(saved, file("events.jsonl")); // as a crash before the plain journal was deleted

    assertReadsAsBeforeAndRefusesAppends(before, "plain + archive");
    try (Journal journal = Journal.open(data)) {
      assertThat(journal.isArchived(RUN)).isFalse();
    }
    assertArchiveCompletes(before, "plain + archive");
  }

  @Test
  void state_archiveOnly_isArchived() throws Exception {
    ReadForms before = writeFinishedRun();
    try (Journal journal = Journal.open(data)) {
      journal.archive(RUN);
    }

    assertReadsAsBeforeAndRefusesAppends(before, "archive only");
    try (Journal journal = Journal.open(data)) {
      assertThat(journal.isArchived(RUN)).isTrue();
      assertThat(journal.archive(RUN).alreadyArchived()).isTrue();
    }
  }

  @Test
  void state_archiveAndAnEmptyStrayJournal_readsTheArchive_andTheNextAppendRemovesTheStray()
      throws Exception {
    ReadForms before = writeFinishedRun();
    try (Journal journal = Journal.open(data)) {
      journal.archive(RUN);
    }
    Files.createFile(file("events.jsonl")); // an append that raced the archive, then crashed

    try (Journal journal = Journal.open(data)) {
      assertThat(journal.isArchived(RUN)).isTrue();
      assertThat(ReadForms.of(journal, RUN)).isEqualTo(before);
      assertThatThrownBy(() -> journal.append(RUN, NewEvent.of("late")))
          .isInstanceOf(RunEndedException.class);
    }
    assertArchiveCompletes(before, "archive + empty stray");
  }

  @Test
  void append_thatOpenedAStrayJournal_removesIt_andIsAnsweredFromTheArchive() throws Exception {
    ReadForms before = writeFinishedRun();
    try (Journal journal = Journal.open(data)) {
      journal.archive(RUN);
    }
    Path saved = data.resolve("saved.jsonl.gz");
    Files.copy(file("events.jsonl.gz"), saved);
    Files.delete(file("events.jsonl.gz"));
    try (Journal journal = Journal.open(data)) {
      // The journal looks unarchived and empty when the append starts; the archive appears (as the
      // archiving process finishes) before the append has the lock.
      FileOps racing =
          new FileOps() {
            @Override
            public FileChannel openAppend(Path path) throws IOException {
              FileChannel channel = FileOps.super.openAppend(path);
              Files.copy(saved, file("events.jsonl.gz"), StandardCopyOption.REPLACE_EXISTING);
              return channel;
            }
          };
      try (Journal appender = FileJournal.open(data, JournalOptions.defaults(), racing)) {
        assertThatThrownBy(() -> appender.append(RUN, NewEvent.of("late")))
            .isInstanceOf(RunEndedException.class);
      }
      assertThat(file("events.jsonl")).doesNotExist();
      assertThat(ReadForms.of(journal, RUN)).isEqualTo(before);
    }
  }
}
