package io.runjournal.internal.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.runjournal.RandomJson;
import io.runjournal.model.Event;
import io.runjournal.model.NewEvent;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The canonical fast path against the full JSON parser: on every line it accepts, it must read
 * exactly what the full parser reads; lines it does not accept go to the full parser.
 */
class CanonicalLineTest {
  private static final String RUN = "run-1";
  private static final int LINES = Integer.getInteger("runjournal.canonical.lines", 3000);

  @Test
  void canonicalLines_readExactlyAsTheFullParserReadsThem() throws Exception {
    Random random = new Random(7);
    for (int i = 0; i < LINES; i++) {
      byte[] line = randomLine(random, i);
      Event full = EventCodec.parseAnyLine(line, 0, line.length, RUN);
      Event fast = CanonicalLine.parse(line, 0, line.length, RUN);

      String text = new String(line, StandardCharsets.UTF_8);
      if (full.id() == null || !full.id().matches(".*[\\\\\"\\p{Cntrl}].*")) {
        assertThat(fast).as("fast path skipped a canonical line: %s", text).isNotNull();
      }
      if (fast != null) {
        assertSame(fast, full, text);
      }
    }
  }

  @Test
  void corruptedLines_areNeverReadDifferentlyThanByTheFullParser() {
    Random random = new Random(11);
    int accepted = 0;
    for (int i = 0; i < LINES * 3; i++) {
      byte[] line = randomLine(random, i);
      int at = random.nextInt(line.length);
      String replacements = " {}[]\",:09.eE\\atfnu-";
      line[at] = (byte) replacements.charAt(random.nextInt(replacements.length()));
      String text = new String(line, StandardCharsets.UTF_8);
      Event fast = CanonicalLine.parse(line, 0, line.length, RUN);
      Event full;
      try {
        full = EventCodec.parseAnyLine(line, 0, line.length, RUN);
      } catch (MalformedLineException e) {
        assertThat(fast)
            .as("fast path accepted what the parser rejects (%s): %s", e.getMessage(), text)
            .satisfiesAnyOf(
                ignored -> assertThat(fast).isNull(),
                ignored -> assertThat(e.getMessage()).contains("Duplicate field"));
        continue;
      }
      if (fast != null) {
        accepted++;
        assertSame(fast, full, text);
      }
    }
    assertThat(accepted).as("some corruptions keep a valid line").isPositive();
  }

  private static void assertSame(Event fast, Event full, String text) {
    assertThat(fast.seq()).as(text).isEqualTo(full.seq());
    assertThat(fast.tsMillis()).as(text).isEqualTo(full.tsMillis());
    assertThat(fast.run()).as(text).isEqualTo(full.run());
    assertThat(fast.branch()).as(text).isEqualTo(full.branch());
    assertThat(fast.type()).as(text).isEqualTo(full.type());
    assertThat(fast.id()).as(text).isEqualTo(full.id());
    assertThat(fast.data()).as(text).isEqualTo(full.data());
    assertThat(fast.meta()).as(text).isEqualTo(full.meta());
    assertThat(fast.line()).as(text).isEqualTo(full.line());
  }

  private static byte[] randomLine(Random random, int i) {
    NewEvent event = NewEvent.of(random.nextBoolean() ? "node.started" : "text_delta");
    if (random.nextInt(3) == 0) {
      event = event.withId(random.nextBoolean() ? "ev-" + i : "ev \"q\" \\ é " + i);
    }
    if (random.nextInt(4) != 0) {
      event = event.withData(RandomJson.value(random));
    }
    if (random.nextInt(3) == 0) {
      event = event.withMeta("{\"agent\":\"a" + i + "\",\"n\":[1,2.5e-3,-0.5]}");
    }
    String branch = random.nextInt(4) == 0 ? "feature-x" : "main";
    PreparedEvent prepared = EventCodec.prepare(event);
    String ts = Timestamps.format(1_700_000_000_000L + random.nextInt(1_000_000_000));
    return EventCodec.encodeLine(1 + random.nextInt(1_000_000), ts, RUN, branch, prepared)
        .getBytes(StandardCharsets.UTF_8);
  }
}
