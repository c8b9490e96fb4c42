package io.runjournal;

import static org.assertj.core.api.Assertions.assertThat;

import io.runjournal.model.Event;
import io.runjournal.model.NewEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Reads across many sparse-index segments, on interleaved branches, in both orders. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadPagingTest {
  static final int EVENTS = 1000;

  Journal journal;

  @BeforeAll
  void fill(@TempDir Path data) {
    journal = Journal.open(data, JournalOptions.defaults().withFsync(FsyncPolicy.NONE));
    for (int i = 1; i <= EVENTS; i++) {
      String type = i % 10 == 0 ? "checkpoint" : "step";
      journal.append("r", NewEvent.of(type, Integer.toString(i)));
      if (i % 3 == 0) {
        journal.append("r", AppendRequest.of(NewEvent.of("side")).onBranch("side"));
      }
    }
  }

  @AfterAll
  void close() {
    journal.close();
  }

  @Test
  void ascendingPages_coverEveryEventOnce() {
    List<Long> seen = new ArrayList<>();
    long after = 0;
    while (true) {
      ReadResult page = journal.read("r", ReadQuery.all().afterSeq(after).limit(97));
      page.events().forEach(event -> seen.add(event.seq()));
      if (page.next() == null) {
        break;
      }
      after = page.next();
    }
    assertThat(seen).containsExactlyElementsOf(LongStream.rangeClosed(1, EVENTS).boxed().toList());
  }

  @Test
  void resumeNearTheEnd_returnsExactlyTheTail() {
    ReadResult result = journal.read("r", ReadQuery.all().afterSeq(990).limit(100));

    assertThat(result.events())
        .extracting(Event::seq)
        .containsExactlyElementsOf(LongStream.rangeClosed(991, EVENTS).boxed().toList());
    assertThat(result.next()).isNull();
    assertThat(result.head()).isEqualTo(EVENTS);
  }

  @Test
  void descendingWithTypeFilterAndLimitOne_findsTheLatestOfThatType() {
    ReadResult latest =
        journal.read("r", ReadQuery.all().types(Set.of("checkpoint")).newestFirst().limit(1));

    assertThat(latest.events()).extracting(Event::seq).containsExactly(1000L);
    assertThat(latest.next()).isEqualTo(1000L);
  }

  @Test
  void descendingPages_withBeforeSeq_walkBackToTheStart() {
    List<Long> seen = new ArrayList<>();
    ReadQuery query = ReadQuery.all().newestFirst().limit(130);
    while (true) {
      ReadResult page = journal.read("r", query);
      page.events().forEach(event -> seen.add(event.seq()));
      if (page.next() == null) {
        break;
      }
      query = query.beforeSeq(page.next());
    }
    assertThat(seen)
        .containsExactlyElementsOf(
            LongStream.rangeClosed(1, EVENTS).map(i -> EVENTS + 1 - i).boxed().toList());
  }

  @Test
  void descending_respectsAfterSeqAsLowerBound() {
    ReadResult result = journal.read("r", ReadQuery.all().afterSeq(995).newestFirst());

    assertThat(result.events())
        .extracting(Event::seq)
        .containsExactly(1000L, 999L, 998L, 997L, 996L);
  }

  @Test
  void otherBranch_hasItsOwnDenseSequence() {
    ReadResult side = journal.read("r", ReadQuery.all().branch("side").limit(10_000));

    assertThat(side.events()).hasSize(EVENTS / 3);
    assertThat(side.events())
        .extracting(Event::seq)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, EVENTS / 3).boxed().toList());
  }

  @Test
  void typeFilter_ascending_pagesOnlyMatchingEvents() {
    ReadResult result =
        journal.read("r", ReadQuery.all().types(Set.of("checkpoint")).afterSeq(500).limit(3));

    assertThat(result.events()).extracting(Event::seq).containsExactly(510L, 520L, 530L);
    assertThat(result.next()).isEqualTo(530L);
  }

  @Test
  void typeFilter_nearTheHead_servedFromRecentEvents_pagesTheSameWay() {
    ReadResult result =
        journal.read("r", ReadQuery.all().types(Set.of("checkpoint")).afterSeq(950).limit(2));
    ReadResult rest =
        journal.read(
            "r", ReadQuery.all().types(Set.of("checkpoint")).afterSeq(result.next()).limit(10));

    assertThat(result.events()).extracting(Event::seq).containsExactly(960L, 970L);
    assertThat(result.next()).isEqualTo(970L);
    assertThat(rest.events()).extracting(Event::seq).containsExactly(980L, 990L, 1000L);
    assertThat(rest.next()).isNull();
  }

  @Test
  void afterSeqBeyondHead_isEmpty() {
    ReadResult result = journal.read("r", ReadQuery.all().afterSeq(5000));

    assertThat(result.events()).isEmpty();
    assertThat(result.head()).isEqualTo(EVENTS);
  }
}
