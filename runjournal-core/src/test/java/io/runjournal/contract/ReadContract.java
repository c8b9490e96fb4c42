package io.runjournal.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.runjournal.AppendRequest;
import io.runjournal.Journal;
import io.runjournal.ReadQuery;
import io.runjournal.ReadResult;
import io.runjournal.model.Event;
import io.runjournal.model.NewEvent;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Reads of one branch ({@link ReadQuery}): bounds, limits with a cursor to continue from, type
 * filters, order, branches, and runs or branches without events.
 */
interface ReadContract extends JournalFixture {

  /**
   * Run {@code r}: on main, seqs 1–5 of types a, b, a, b, c with data {@code {"i":seq}}; on branch
   * {@code side}, two events of type s.
   */
  private Journal fiveEvents() {
    Journal journal = journal();
    List<String> types = List.of("a", "b", "a", "b", "c");
    for (int i = 0; i < types.size(); i++) {
      journal.append("r", NewEvent.of(types.get(i), "{\"i\":" + (i + 1) + "}"));
      if (i % 2 == 0 && i < 4) {
        journal.append("r", AppendRequest.of(NewEvent.of("s")).onBranch("side"));
      }
    }
    return journal;
  }

  private static List<Long> seqs(ReadResult result) {
    return result.events().stream().map(Event::seq).toList();
  }

  @Test
  default void read_all_returnsEveryEventOfTheBranchInOrder_withItsFields() {
    Journal journal = fiveEvents();

    ReadResult result = journal.read("r", ReadQuery.all());

    assertThat(result.run()).isEqualTo("r");
    assertThat(result.branch()).isEqualTo("main");
    assertThat(result.head()).isEqualTo(5);
    assertThat(result.next()).isNull();
    assertThat(result.events())
        .extracting(Event::seq, Event::run, Event::branch, Event::type, Event::data)
        .containsExactly(
            tuple(1L, "r", "main", "a", "{\"i\":1}"),
            tuple(2L, "r", "main", "b", "{\"i\":2}"),
            tuple(3L, "r", "main", "a", "{\"i\":3}"),
            tuple(4L, "r", "main", "b", "{\"i\":4}"),
            tuple(5L, "r", "main", "c", "{\"i\":5}"));
  }

  @Test
  default void read_afterSeqAndBeforeSeq_boundTheEventsReturned() {
    Journal journal = fiveEvents();

    assertThat(seqs(journal.read("r", ReadQuery.all().afterSeq(3)))).containsExactly(4L, 5L);
    assertThat(seqs(journal.read("r", ReadQuery.all().beforeSeq(3)))).containsExactly(1L, 2L);
    assertThat(seqs(journal.read("r", ReadQuery.all().afterSeq(1).beforeSeq(5))))
        .containsExactly(2L, 3L, 4L);
    assertThat(seqs(journal.read("r", ReadQuery.all().afterSeq(2).beforeSeq(3)))).isEmpty();
  }

  @Test
  default void read_withALimit_pagesForwardWithNext_untilNextIsNull() {
    Journal journal = fiveEvents();
    ReadQuery query = ReadQuery.all().limit(2);

    ReadResult first = journal.read("r", query);
    ReadResult second = journal.read("r", query.afterSeq(first.next()));
    ReadResult third = journal.read("r", query.afterSeq(second.next()));

    assertThat(seqs(first)).containsExactly(1L, 2L);
    assertThat(first.next()).isEqualTo(2);
    assertThat(seqs(second)).containsExactly(3L, 4L);
    assertThat(second.next()).isEqualTo(4);
    assertThat(seqs(third)).containsExactly(5L);
    assertThat(third.next()).isNull();
    assertThat(journal.read("r", ReadQuery.all().limit(5)).next()).isNull();
  }

  @Test
  default void read_newestFirst_returnsDescending_andPagesBackWithBeforeSeq() {
    Journal journal = fiveEvents();
    ReadQuery query = ReadQuery.all().newestFirst().limit(2);

    ReadResult first = journal.read("r", query);
    ReadResult second = journal.read("r", query.beforeSeq(first.next()));
    ReadResult third = journal.read("r", query.beforeSeq(second.next()));

    assertThat(seqs(journal.read("r", ReadQuery.all().newestFirst())))
        .containsExactly(5L, 4L, 3L, 2L, 1L);
    assertThat(seqs(first)).containsExactly(5L, 4L);
    assertThat(first.next()).isEqualTo(4);
    assertThat(seqs(second)).containsExactly(3L, 2L);
    assertThat(second.next()).isEqualTo(2);
    assertThat(seqs(third)).containsExactly(1L);
    assertThat(third.next()).isNull();
    assertThat(third.head()).isEqualTo(5);
  }

  @Test
  default void read_newestFirst_keepsAfterSeqAsTheLowerBound() {
    Journal journal = fiveEvents();

    assertThat(seqs(journal.read("r", ReadQuery.all().afterSeq(2).newestFirst())))
        .containsExactly(5L, 4L, 3L);
  }

  @Test
  default void read_types_returnsOnlyThoseTypes_inBothOrders() {
    Journal journal = fiveEvents();

    assertThat(seqs(journal.read("r", ReadQuery.all().types(Set.of("a", "c")))))
        .containsExactly(1L, 3L, 5L);
    assertThat(seqs(journal.read("r", ReadQuery.all().types(Set.of("a")).newestFirst())))
        .containsExactly(3L, 1L);
    assertThat(seqs(journal.read("r", ReadQuery.all().types(Set.of("none"))))).isEmpty();
  }

  @Test
  default void read_typeNewestFirstLimitOne_findsTheLatestEventOfThatType() {
    Journal journal = fiveEvents();

    ReadResult latest =
        journal.read("r", ReadQuery.all().types(Set.of("b")).newestFirst().limit(1));

    assertThat(latest.events())
        .singleElement()
        .extracting(Event::seq, Event::data)
        .containsExactly(4L, "{\"i\":4}");
  }

  @Test
  default void read_aBranch_returnsOnlyItsEvents_withItsOwnSeqsAndHead() {
    Journal journal = fiveEvents();

    ReadResult side = journal.read("r", ReadQuery.all().branch("side"));

    assertThat(side.branch()).isEqualTo("side");
    assertThat(side.head()).isEqualTo(2);
    assertThat(side.events())
        .extracting(Event::seq, Event::branch, Event::type)
        .containsExactly(tuple(1L, "side", "s"), tuple(2L, "side", "s"));
  }

  @Test
  default void read_afterTheHead_isEmpty_andSaysTheHead() {
    Journal journal = fiveEvents();

    for (long after : List.of(5L, 6L, 1000L)) {
      ReadResult result = journal.read("r", ReadQuery.all().afterSeq(after));
      assertThat(result.events()).as("after %d", after).isEmpty();
      assertThat(result.head()).isEqualTo(5);
      assertThat(result.next()).isNull();
    }
  }

  /**
   * A missing run reads as empty, not as {@link io.runjournal.RunNotFoundException} ({@link
   * Journal#read}; DESIGN §6: 200 with no events): only archive refuses a missing run.
   */
  @Test
  default void read_aRunOrBranchWithoutEvents_isEmptyWithHeadZero() {
    Journal journal = fiveEvents();
    journal.create("created");

    for (ReadResult result :
        List.of(
            journal.read("missing", ReadQuery.all()),
            journal.read("missing", ReadQuery.all().newestFirst()),
            journal.read("created", ReadQuery.all()),
            journal.read("r", ReadQuery.all().branch("no-such-branch")))) {
      assertThat(result.events()).isEmpty();
      assertThat(result.head()).isZero();
      assertThat(result.next()).isNull();
    }
  }

  @Test
  default void read_strict_ofAHealthyRun_returnsTheSameEventsAsTolerant() {
    Journal journal = fiveEvents();

    assertThat(journal.read("r", ReadQuery.all().failOnMalformed()).events())
        .isEqualTo(journal.read("r", ReadQuery.all()).events());
    assertThat(journal.read("r", ReadQuery.all().newestFirst().failOnMalformed()).events())
        .isEqualTo(journal.read("r", ReadQuery.all().newestFirst()).events());
  }
}
