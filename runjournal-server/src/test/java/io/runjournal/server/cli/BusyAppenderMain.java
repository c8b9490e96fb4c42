package io.runjournal.server.cli;

import io.runjournal.Journal;
import io.runjournal.model.NewEvent;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A child JVM that appends to one run until told to stop, for tests of commands that run beside a
 * producer. Arguments: {@code dataDir run}. Prints {@code appended N} after every 50 events, and on
 * a line {@code stop} on stdin stops and prints {@code stopped N} (the events it appended, all
 * acknowledged). Any failure is printed to stderr and exits 1.
 */
public final class BusyAppenderMain {
  private BusyAppenderMain() {}

  /** Entry point; see the class comment. */
  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, /* autoFlush= */ true, StandardCharsets.UTF_8);
    AtomicBoolean stop = new AtomicBoolean();
    Thread.ofPlatform()
        .daemon()
        .start(
            () -> {
              var stdin =
                  new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
              try {
                while (!"stop".equals(stdin.readLine())) {
                  // wait for stop
                }
              } catch (java.io.IOException e) {
                // the test went away: stop too
              }
              stop.set(true);
            });
    try (Journal journal = Journal.open(Path.of(args[0]))) {
      long appended = 0;
      while (!stop.get()) {
        journal.append(args[1], NewEvent.of("busy.step", "{\"n\":" + (appended + 1) + "}"));
        if (++appended % 50 == 0) {
          out.println("appended " + appended);
        }
      }
      out.println("stopped " + appended);
    } catch (RuntimeException e) {
      e.printStackTrace();
      System.exit(1);
    }
  }
}
