package io.runjournal.torture;

import io.runjournal.AppendRequest;
import io.runjournal.AppendResult;
import io.runjournal.FsyncPolicy;
import io.runjournal.Journal;
import io.runjournal.JournalOptions;
import io.runjournal.model.NewEvent;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * A child JVM that appends to one run beside other processes, for the multi-process tests.
 *
 * <p>Arguments: {@code dataDir run count fsync prefix mode}. It prints {@code ready}, waits for a
 * line {@code go} on stdin (so that every process starts at once), runs {@link #appendAll} and
 * prints its report lines, then {@code done}. Any failure is printed to stderr and exits 1.
 */
public final class AppenderMain {
  private AppenderMain() {}

  /** Entry point; see the class comment. */
  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(args[0]);
    String run = args[1];
    int count = Integer.parseInt(args[2]);
    FsyncPolicy fsync = FsyncPolicy.valueOf(args[3].toUpperCase(Locale.ROOT));
    String prefix = args[4];
    boolean retry = args[5].equals("retry");
    PrintStream out = new PrintStream(System.out, /* autoFlush= */ true, StandardCharsets.UTF_8);
    var stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try (Journal journal = Journal.open(dataDir, JournalOptions.defaults().withFsync(fsync))) {
      out.println("ready");
      if (!"go".equals(stdin.readLine())) {
        throw new IllegalStateException("expected go on stdin");
      }
      appendAll(journal, run, count, prefix, retry, out::println);
      out.println("done");
    } catch (RuntimeException e) {
      e.printStackTrace();
      System.exit(1);
    }
  }

  /**
   * Appends {@code count} events with ids {@code <prefix>-<i>}, reporting {@code ack <id> <seq>}
   * after each append returned. With {@code retry} it also re-sends some of its own events, at once
   * and later ({@code retry <id> <seq> <duplicate>}), and appends events {@code shared-<j>} that
   * every appender sends with the same content ({@code shared <id> <seq> <duplicate>}).
   */
  static void appendAll(
      Journal journal, String run, int count, String prefix, boolean retry, Consumer<String> out) {
    for (int i = 0; i < count; i++) {
      NewEvent own = ownEvent(prefix, i);
      out.accept("ack " + own.id() + " " + journal.append(run, AppendRequest.of(own)).first());
      if (retry && i % 3 == 0) {
        report(out, "retry", own.id(), journal.append(run, AppendRequest.of(own)));
      }
      if (retry && i % 7 == 6) {
        NewEvent older = ownEvent(prefix, i / 2);
        report(out, "retry", older.id(), journal.append(run, AppendRequest.of(older)));
      }
      if (retry && i % 5 == 0) {
        NewEvent shared = sharedEvent(i / 5);
        report(out, "shared", shared.id(), journal.append(run, AppendRequest.of(shared)));
      }
    }
  }

  private static void report(Consumer<String> out, String kind, String id, AppendResult result) {
    out.accept(kind + " " + id + " " + result.first() + " " + result.duplicate().getFirst());
  }

  /** Event {@code i} of the appender with this prefix; sizes vary with {@code i}. */
  static NewEvent ownEvent(String prefix, int i) {
    String pad = "x".repeat((i * 37) % 300);
    String data = "{\"from\":\"" + prefix + "\",\"i\":" + i + ",\"pad\":\"" + pad + "\"}";
    return NewEvent.of("tick", data).withId(prefix + "-" + i);
  }

  /** An event every appender sends with identical content. */
  static NewEvent sharedEvent(int j) {
    return NewEvent.of("shared", "{\"j\":" + j + "}").withId("shared-" + j);
  }
}
