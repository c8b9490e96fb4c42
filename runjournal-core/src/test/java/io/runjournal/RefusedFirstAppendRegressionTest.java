package io.runjournal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runjournal.model.NewEvent;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Regression: the writer created the run's directory and journal before the batch was checked, so a
 * refused first append (a stale expected seq, a wrong explicit seq, an id used twice with different
 * data, an event over the size limit) left a run behind: {@code exists()} turned true and {@code
 * listRuns()} listed it, although nothing was ever written.
 */
class RefusedFirstAppendRegressionTest {
  @TempDir Path data;
  Journal journal;

  @BeforeEach
  void open() {
    journal =
        Journal.open(
            data, JournalOptions.defaults().withFsync(FsyncPolicy.NONE).withMaxEventBytes(1024));
  }

  @AfterEach
  void close() {
    journal.close();
  }

  static Stream<Arguments> refusedFirstAppends() {
    return Stream.of(
        Arguments.of(
            "expectedSeq 5",
            AppendRequest.of(NewEvent.of("x")).expecting(5),
            SequenceConflictException.class),
        Arguments.of(
            "explicit seq 2",
            AppendRequest.of(NewEvent.of("x").withSeq(2)),
            SequenceConflictException.class),
        Arguments.of(
            "one id, two contents",
            AppendRequest.of(
                NewEvent.of("x", "1").withId("same"), NewEvent.of("x", "2").withId("same")),
            IdConflictException.class),
        Arguments.of(
            "event over the size limit",
            AppendRequest.of(NewEvent.of("x", "\"" + "z".repeat(2000) + "\"")),
            EventTooLargeException.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedFirstAppends")
  void refusedFirstAppend_leavesNoRunBehind(
      String why, AppendRequest request, Class<? extends RunJournalException> refusal) {
    assertThatThrownBy(() -> journal.append("never", request)).isInstanceOf(refusal);

    assertThat(journal.exists("never")).isFalse();
    assertThat(journal.listRuns()).isEmpty();
    assertThat(data.resolve("runs").resolve("never")).doesNotExist();

    assertThat(journal.append("never", AppendRequest.of(NewEvent.of("ok"))).first()).isEqualTo(1);
    assertThat(journal.listRuns()).isEqualTo(List.of("never"));
  }
}
