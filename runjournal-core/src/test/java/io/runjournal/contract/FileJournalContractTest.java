package io.runjournal.contract;

import io.runjournal.Journal;
import io.runjournal.JournalOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link Journal} contract on the file store: each fresh journal gets a data directory of its
 * own; a second instance opens the same directory, as another process would.
 */
class FileJournalContractTest extends JournalContract {
  @TempDir Path root;
  private Path lastDataDir;

  @Override
  protected Journal openJournal(JournalOptions options) {
    try {
      lastDataDir = Files.createTempDirectory(root, "data-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Journal.open(lastDataDir, options);
  }

  @Override
  protected Journal openSecondJournal(JournalOptions options) {
    return Journal.open(lastDataDir, options);
  }
}
