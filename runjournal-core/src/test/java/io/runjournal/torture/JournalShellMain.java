package io.runjournal.torture;

import io.runjournal.AppendResult;
import io.runjournal.Journal;
import io.runjournal.RunJournalException;
import io.runjournal.model.NewEvent;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A child JVM that keeps one journal open and runs commands from stdin, one per line, answering one
 * line each: {@code append RUN TYPE} → {@code ok SEQ} or {@code error CODE}; {@code head RUN} →
 * {@code head N}; {@code quit} ends it. Argument: the data directory. Prints {@code ready} first.
 */
public final class JournalShellMain {
  private JournalShellMain() {}

  /** Entry point; see the class comment. */
  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, /* autoFlush= */ true, StandardCharsets.UTF_8);
    var stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try (Journal journal = Journal.open(Path.of(args[0]))) {
      out.println("ready");
      for (String line; (line = stdin.readLine()) != null && !line.equals("quit"); ) {
        String[] words = line.split(" ");
        try {
          out.println(
              switch (words[0]) {
                case "append" -> {
                  AppendResult result = journal.append(words[1], NewEvent.of(words[2]));
                  yield "ok " + result.first();
                }
                case "append-many" -> {
                  long last = 0;
                  for (int i = Integer.parseInt(words[3]); i > 0; i--) {
                    last = journal.append(words[1], NewEvent.of(words[2])).first();
                  }
                  yield "ok " + last;
                }
                case "head" -> "head " + journal.head(words[1], "main");
                case "delete" -> "deleted " + journal.delete(words[1]);
                default -> throw new IllegalArgumentException("unknown command " + line);
              });
        } catch (RunJournalException e) {
          out.println("error " + e.code());
        }
      }
    }
  }
}
