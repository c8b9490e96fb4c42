package io.runjournal.torture;

import io.runjournal.AppendRequest;
import io.runjournal.AppendResult;
import io.runjournal.FsyncPolicy;
import io.runjournal.Journal;
import io.runjournal.JournalOptions;
import io.runjournal.model.NewEvent;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A child JVM that appends to one run with {@code fsync=always} until it is killed, for the crash
 * tests.
 *
 * <p>Arguments: {@code dataDir run prefix seed}. It prints {@code ready} once the journal is open,
 * then appends forever: single events of mixed sizes (some with non-ASCII data, a few of tens of
 * KiB) and batches of 2–5. After each append <em>returned</em> it prints one line {@code ack
 * <id>:<seq> … .} and flushes it, so every line the test reads is an acknowledged append. Each
 * event's data names its id, its batch and the batch size.
 */
public final class CrashAppenderMain {
  private static final String[] WORDS = {"alpha", "grüße", "данные", "数据", "🚀", "x"};

  private CrashAppenderMain() {}

  /** Entry point; see the class comment. */
  public static void main(String[] args) {
    Path dataDir = Path.of(args[0]);
    String run = args[1];
    String prefix = args[2];
    Random random = new Random(Long.parseLong(args[3]));
    PrintStream out =
        new PrintStream(
            new FileOutputStream(FileDescriptor.out),
            /* autoFlush= */ false,
            StandardCharsets.UTF_8);
    JournalOptions options = JournalOptions.defaults().withFsync(FsyncPolicy.ALWAYS);
    try (Journal journal = Journal.open(dataDir, options)) {
      out.print("ready\n");
      out.flush();
      int next = 0;
      for (int batch = 0; ; batch++) {
        int size = random.nextInt(10) < 7 ? 1 : 2 + random.nextInt(4);
        String batchId = prefix + "-b" + batch;
        List<NewEvent> events = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
          String id = prefix + "-" + next++;
          int padding = size == 1 && random.nextInt(30) == 0 ? 8_000 + random.nextInt(56_000) : 0;
          events.add(event(id, batchId, size, padding + random.nextInt(600), random));
        }
        AppendResult result = journal.append(run, AppendRequest.of(events));
        StringBuilder line = new StringBuilder("ack");
        for (int i = 0; i < size; i++) {
          line.append(' ').append(events.get(i).id()).append(':').append(result.seqs().get(i));
        }
        out.print(line.append(" .\n"));
        out.flush();
      }
    }
  }

  private static NewEvent event(String id, String batchId, int batchSize, int pad, Random random) {
    StringBuilder text = new StringBuilder();
    while (text.length() < pad) {
      text.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
    }
    String data =
        "{\"id\":\""
            + id
            + "\",\"batch\":\""
            + batchId
            + "\",\"size\":"
            + batchSize
            + ",\"text\":\""
            + text
            + "\"}";
    return NewEvent.of(batchSize == 1 ? "step" : "batch.step", data).withId(id);
  }
}
