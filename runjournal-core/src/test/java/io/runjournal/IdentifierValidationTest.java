package io.runjournal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runjournal.model.Ids;
import io.runjournal.model.NewEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class IdentifierValidationTest {
  @TempDir Path root;
  Path data;
  Journal journal;

  @BeforeEach
  void open() {
    data = root.resolve("data");
    journal = Journal.open(data, JournalOptions.defaults().withFsync(FsyncPolicy.NONE));
  }

  @AfterEach
  void close() {
    journal.close();
  }

  static Stream<String> hostileRunIds() {
    return Stream.of(
        "..",
        ".",
        "../escape",
        "a/../../b",
        "/etc",
        "a/b",
        "a\\b",
        "%2F",
        "..%2F..%2Fetc",
        "a\0b",
        "",
        " run",
        "-leading-dash",
        ".hidden",
        "x".repeat(129),
        "x".repeat(300));
  }

  @ParameterizedTest
  @MethodSource("hostileRunIds")
  void append_hostileRunId_isRejectedBeforeTouchingDisk(String run) throws Exception {
    assertThatThrownBy(() -> journal.append(run, NewEvent.of("x")))
        .isInstanceOfSatisfying(
            InvalidIdentifierException.class, e -> assertThat(e.code()).isEqualTo("invalid-run-id"))
        .hasMessageStartingWith("invalid run id");
    assertThatThrownBy(() -> journal.read(run, ReadQuery.all()))
        .isInstanceOf(InvalidIdentifierException.class);
    assertThatThrownBy(() -> journal.exists(run)).isInstanceOf(InvalidIdentifierException.class);
    assertThat(data).doesNotExist();
    try (Stream<Path> everything = Files.walk(root)) {
      assertThat(everything).containsExactly(root);
    }
  }

  @Test
  void invalidRunId_messageEscapesControlCharactersAndCapsLength() {
    assertThatThrownBy(() -> journal.append("a\0b", NewEvent.of("x")))
        .hasMessageContaining("\"a\\u0000b\"");
    assertThatThrownBy(() -> journal.append("y".repeat(300), NewEvent.of("x")))
        .hasMessageContaining("…(300 chars)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"42", "01HF8Z6Q4R2W7M3K9V5X1T0BYC", "pipe-01", "a.b_c-d", "A"})
  void validRunIds_numericAndUlidLike_areAccepted(String run) {
    assertThat(Ids.isValidRunId(run)).isTrue();
    assertThat(journal.append(run, NewEvent.of("x")).first()).isEqualTo(1);
  }

  @Test
  void runId_of128Characters_isAccepted_129Rejected() {
    assertThat(Ids.isValidRunId("r".repeat(128))).isTrue();
    assertThat(Ids.isValidRunId("r".repeat(129))).isFalse();
  }

  static Stream<String> invalidBranches() {
    return Stream.of("..", "a/b", "", "b".repeat(65), "-x");
  }

  @ParameterizedTest
  @MethodSource("invalidBranches")
  void append_invalidBranch_isRejected(String branch) {
    assertThatThrownBy(
            () -> journal.append("r", AppendRequest.of(NewEvent.of("x")).onBranch(branch)))
        .isInstanceOfSatisfying(
            InvalidIdentifierException.class,
            e -> assertThat(e.code()).isEqualTo("invalid-branch"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"node.started", "text_delta", "span-open", "a:b/c", "run.created"})
  void validEventTypes_areAccepted(String type) {
    assertThat(journal.append("r", NewEvent.of(type)).first()).isPositive();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "has space", "quote\"", "ü", "{}"})
  void append_invalidType_isRejected(String type) {
    assertThatThrownBy(() -> journal.append("r", NewEvent.of(type)))
        .isInstanceOf(InvalidIdentifierException.class)
        .hasMessageStartingWith("invalid event type");
  }

  @Test
  void append_eventIdTooLongOrWithControlCharacter_isRejected() {
    assertThatThrownBy(() -> journal.append("r", NewEvent.of("x").withId("i".repeat(129))))
        .isInstanceOf(InvalidIdentifierException.class)
        .hasMessageStartingWith("invalid event id");
    assertThatThrownBy(() -> journal.append("r", NewEvent.of("x").withId("a\nb")))
        .isInstanceOf(InvalidIdentifierException.class);
    assertThat(journal.append("r", NewEvent.of("x").withId("i".repeat(128))).first()).isOne();
  }
}
