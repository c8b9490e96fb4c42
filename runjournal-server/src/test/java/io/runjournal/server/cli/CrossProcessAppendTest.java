package io.runjournal.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.runjournal.Journal;
import io.runjournal.ReadQuery;
import io.runjournal.model.Event;
import io.runjournal.model.NewEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI appends from its own JVM while this process has the same journal open. */
class CrossProcessAppendTest {
  @TempDir Path data;
  @TempDir Path scratch;

  private record ChildResult(int exitCode, String out, String err) {}

  /** Runs {@code Main} in a child JVM on this test's class path. */
  private ChildResult runCliInChildJvm(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    Path stderr = scratch.resolve("stderr.txt");
    Process child = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    child.getOutputStream().close();
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child JVM finished").isTrue();
    return new ChildResult(child.exitValue(), out, Files.readString(stderr));
  }

  @Test
  void append_fromAChildJvm_whileThisProcessHasTheJournalOpen_continuesTheSequence()
      throws Exception {
    try (Journal journal = Journal.open(data)) {
      journal.append("shared", NewEvent.of("from.test", "1"));

      ChildResult child =
          runCliInChildJvm(
              "append", "--data", data.toString(), "shared", "from.cli", "2", "--id", "cli-1");

      assertThat(child.exitCode()).as(child.err()).isZero();
      assertThat(child.out())
          .isEqualTo(
              "{\"run\":\"shared\",\"branch\":\"main\",\"first\":2,\"last\":2,\"head\":2,"
                  + "\"duplicates\":0}\n");
      assertThat(journal.append("shared", NewEvent.of("from.test", "3")).first()).isEqualTo(3);
      assertThat(journal.read("shared", ReadQuery.all().failOnMalformed()).events())
          .extracting(Event::seq, Event::type)
          .containsExactly(tuple(1L, "from.test"), tuple(2L, "from.cli"), tuple(3L, "from.test"));
    }
  }
}
