package io.runjournal.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runjournal.AppendRequest;
import io.runjournal.InvalidIdentifierException;
import io.runjournal.Journal;
import io.runjournal.ReadQuery;
import io.runjournal.SubscribeOptions;
import io.runjournal.model.Event;
import io.runjournal.model.NewEvent;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Identifiers (DESIGN §2): a bad run id, branch, type or event id is refused with {@link
 * InvalidIdentifierException} before anything is written; the valid forms are accepted.
 */
interface IdentifierContract extends JournalFixture {

  @ParameterizedTest
  @ValueSource(
      strings = {"..", ".", "../escape", "a/b", "a\\b", "%2F", "", " run", "-x", ".hidden"})
  default void append_invalidRunId_isRefusedBeforeAnythingIsWritten(String run) {
    Journal journal = journal();

    assertThatThrownBy(() -> journal.append(run, NewEvent.of("x")))
        .isInstanceOfSatisfying(
            InvalidIdentifierException.class,
            e -> {
              assertThat(e.code()).isEqualTo("invalid-run-id");
              assertThat(e.kind()).isEqualTo("run id");
              assertThat(e.value()).isEqualTo(run);
            })
        .hasMessageStartingWith("invalid run id");
    assertThat(journal.listRuns()).isEmpty();
  }

  @Test
  default void append_runIdOf128Characters_isAccepted_129AreRefused() {
    Journal journal = journal();

    assertThat(journal.append("r".repeat(128), NewEvent.of("x")).first()).isEqualTo(1);
    assertThatThrownBy(() -> journal.append("r".repeat(129), NewEvent.of("x")))
        .isInstanceOf(InvalidIdentifierException.class);
    assertThat(journal.listRuns()).containsExactly("r".repeat(128));
  }

  @ParameterizedTest
  @ValueSource(strings = {"42", "01HF8Z6Q4R2W7M3K9V5X1T0BYC", "pipe-01", "a.b_c-d", "A"})
  default void append_numericAndUlidLikeRunIds_areAccepted(String run) {
    Journal journal = journal();

    assertThat(journal.append(run, NewEvent.of("x")).first()).isEqualTo(1);
    assertThat(journal.exists(run)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"..", "a/b", "", "-x", "has space"})
  default void append_invalidBranch_isRefusedBeforeAnythingIsWritten(String branch) {
    Journal journal = journal();

    assertThatThrownBy(
            () -> journal.append("r", AppendRequest.of(NewEvent.of("x")).onBranch(branch)))
        .isInstanceOfSatisfying(
            InvalidIdentifierException.class,
            e -> {
              assertThat(e.code()).isEqualTo("invalid-branch");
              assertThat(e.kind()).isEqualTo("branch");
              assertThat(e.value()).isEqualTo(branch);
            });
    assertThatThrownBy(
            () -> journal.append("r", AppendRequest.of(NewEvent.of("x")).onBranch("b".repeat(65))))
        .isInstanceOf(InvalidIdentifierException.class);
    assertThat(journal.exists("r")).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "has space", "quote\"", "ü", "{}"})
  default void append_batchWithAnInvalidType_isRefusedBeforeAnythingIsWritten(String type) {
    Journal journal = journal();

    assertThatThrownBy(
            () -> journal.append("r", AppendRequest.of(NewEvent.of("ok"), NewEvent.of(type))))
        .isInstanceOfSatisfying(
            InvalidIdentifierException.class,
            e -> {
              assertThat(e.code()).isEqualTo("invalid-event-type");
              assertThat(e.value()).isEqualTo(type);
            })
        .hasMessageStartingWith("invalid event type");
    assertThat(journal.exists("r")).isFalse();
  }

  @Test
  default void append_validTypes_areAccepted() {
    Journal journal = journal();
    List<String> types =
        List.of("node.started", "text_delta", "span-open", "a:b/c", "t".repeat(128));

    for (String type : types) {
      journal.append("r", NewEvent.of(type));
    }

    assertThat(Contracts.readAll(journal, "r"))
        .extracting(Event::type)
        .containsExactlyElementsOf(types);
  }

  @Test
  default void append_invalidEventId_isRefused_128CharactersAreAccepted() {
    Journal journal = journal();

    assertThatThrownBy(() -> journal.append("r", NewEvent.of("x").withId("i".repeat(129))))
        .isInstanceOfSatisfying(
            InvalidIdentifierException.class,
            e -> assertThat(e.code()).isEqualTo("invalid-event-id"))
        .hasMessageStartingWith("invalid event id");
    assertThatThrownBy(() -> journal.append("r", NewEvent.of("x").withId("a\nb")))
        .isInstanceOf(InvalidIdentifierException.class);
    assertThatThrownBy(() -> journal.append("r", NewEvent.of("x").withId("")))
        .isInstanceOf(InvalidIdentifierException.class);
    assertThat(journal.exists("r")).isFalse();

    assertThat(journal.append("r", NewEvent.of("x").withId("i".repeat(128))).first()).isOne();
    assertThat(journal.append("r", NewEvent.of("x").withId("id \"quoted\" é 😀")).first())
        .isEqualTo(2);
    assertThat(Contracts.readAll(journal, "r"))
        .extracting(Event::id)
        .containsExactly("i".repeat(128), "id \"quoted\" é 😀");
  }

  @Test
  default void everyOperation_refusesAnInvalidRunId() {
    Journal journal = journal();
    String bad = "../escape";
    Map<String, ThrowingCallable> operations =
        Map.ofEntries(
            Map.entry("read", () -> journal.read(bad, ReadQuery.all())),
            Map.entry("head", () -> journal.head(bad, "main")),
            Map.entry("heads", () -> journal.heads(bad)),
            Map.entry("info", () -> journal.info(bad)),
            Map.entry("size", () -> journal.size(bad)),
            Map.entry("lastEvent", () -> journal.lastEvent(bad)),
            Map.entry("exists", () -> journal.exists(bad)),
            Map.entry("create", () -> journal.create(bad)),
            Map.entry("subscribe", () -> journal.subscribe(bad, SubscribeOptions.fromStart())),
            Map.entry("forEachEvent", () -> journal.forEachEvent(bad, 10, event -> {})),
            Map.entry(
                "copyJournal", () -> journal.copyJournal(bad, 10, new ByteArrayOutputStream())),
            Map.entry("importEvents", () -> journal.importEvents(bad, List.of())),
            Map.entry("verify", () -> journal.verify(bad)),
            Map.entry("isFinished", () -> journal.isFinished(bad)),
            Map.entry("archive", () -> journal.archive(bad)),
            Map.entry("isArchived", () -> journal.isArchived(bad)),
            Map.entry("delete", () -> journal.delete(bad)),
            Map.entry("releaseActiveMarker", () -> journal.releaseActiveMarker(bad)));

    assertThat(Contracts.outcomes(operations))
        .isEqualTo(Contracts.each(operations, "InvalidIdentifierException"));
    assertThatThrownBy(() -> journal.head("r", "a/b"))
        .isInstanceOfSatisfying(
            InvalidIdentifierException.class, e -> assertThat(e.kind()).isEqualTo("branch"));
    assertThat(journal.listRuns()).isEmpty();
  }
}
