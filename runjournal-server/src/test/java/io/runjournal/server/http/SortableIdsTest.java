package io.runjournal.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class SortableIdsTest {
  private static final Instant NOW = Instant.parse("2026-11-21T10:15:30.123Z");

  @Test
  void idsOfOneMillisecond_sortInTheOrderTheyWereMade() {
    SortableIds ids = new SortableIds(Clock.fixed(NOW, ZoneOffset.UTC));

    List<String> made = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      made.add(ids.next());
    }

    assertThat(made).doesNotHaveDuplicates().isSortedAccordingTo(Comparator.naturalOrder());
    assertThat(made).allMatch(id -> id.matches("[0-9A-HJKMNP-TV-Z]{26}"));
    assertThat(made.get(0).substring(0, 10)).isEqualTo(made.get(999).substring(0, 10));
  }

  @Test
  void idsAfterTheClockStepsBack_stillSortAfterEarlierOnes() {
    MutableClock clock = new MutableClock(NOW);
    SortableIds ids = new SortableIds(clock);

    String before = ids.next();
    clock.now = NOW.minusSeconds(5);
    String after = ids.next();

    assertThat(after).isGreaterThan(before);
  }

  @Test
  void idsOfLaterMilliseconds_sortLater() {
    MutableClock clock = new MutableClock(NOW);
    SortableIds ids = new SortableIds(clock);

    String first = ids.next();
    clock.now = NOW.plusMillis(1);
    String second = ids.next();

    assertThat(second).isGreaterThan(first);
    assertThat(second.substring(0, 10)).isGreaterThan(first.substring(0, 10));
  }

  private static final class MutableClock extends Clock {
    volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
