package io.runjournal.torture;

import io.runjournal.FsyncPolicy;
import io.runjournal.Journal;
import io.runjournal.JournalOptions;
import io.runjournal.RunJournalException;
import io.runjournal.model.NewEvent;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A child JVM that tries one append with a short lock budget and prints {@code ack <seq>} or {@code
 * failed <code>}: it probes whether another process holds a run's lock.
 *
 * <p>Arguments: {@code dataDir run lockBudgetMillis}.
 */
public final class ProbeAppendMain {
  private ProbeAppendMain() {}

  /** Entry point; see the class comment. */
  public static void main(String[] args) {
    JournalOptions options =
        JournalOptions.defaults()
            .withFsync(FsyncPolicy.NONE)
            .withLockTimeout(Duration.ofMillis(Long.parseLong(args[2])));
    try (Journal journal = Journal.open(Path.of(args[0]), options)) {
      long seq = journal.append(args[1], NewEvent.of("probe").withId("probe")).first();
      System.out.println("ack " + seq);
    } catch (RunJournalException e) {
      System.out.println("failed " + e.code());
    }
  }
}
