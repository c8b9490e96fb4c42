package io.runjournal.bench;

import io.runjournal.internal.json.EventCodec;
import io.runjournal.internal.json.PreparedEvent;
import io.runjournal.internal.json.Timestamps;
import io.runjournal.model.Ids;
import io.runjournal.model.NewEvent;
import java.nio.charset.StandardCharsets;

/**
 * The event every benchmark writes: a realistic {@code node.output} event whose canonical journal
 * line is {@value #LINE_BYTES} bytes (with its newline) for a six-digit seq, and the same line
 * pre-serialised for the raw baselines. Thread-safe (immutable).
 */
final class BenchEvents {
  /** The length of one journal line, newline included, for a six-digit seq. */
  static final int LINE_BYTES = 300;

  /** The event type. */
  static final String TYPE = "node.output";

  /** Run ids of the benchmarks have this many characters, so that line lengths match. */
  static final int RUN_ID_LENGTH = 11;

  private static final String DATA_PREFIX = "{\"node\":\"plan\",\"tokens\":123,\"text\":\"";
  private static final String DATA_SUFFIX = "\"}";
  private static final String LOREM =
      "The planner weighed three options, rejected the cached answer as stale and asked the"
          + " retriever for fresher context before drafting the next step of the run. ";

  /** The {@code data} JSON of the benchmark event. */
  static final String DATA = DATA_PREFIX + padding() + DATA_SUFFIX;

  /** The benchmark event (immutable, shared by every append). */
  static final NewEvent EVENT = NewEvent.of(TYPE, DATA);

  private BenchEvents() {}

  /** A run id of {@link #RUN_ID_LENGTH} characters: {@code prefix} and a zero-padded number. */
  static String runId(String prefix, int number) {
    String digits = Integer.toString(number);
    int zeros = RUN_ID_LENGTH - prefix.length() - 1 - digits.length();
    if (zeros < 0) {
      throw new IllegalArgumentException("run prefix too long: " + prefix);
    }
    return Ids.requireRunId(prefix + "-" + "0".repeat(zeros) + digits);
  }

  /**
   * The canonical journal line of {@link #EVENT}, newline included, as the journal would write it
   * at {@code seq} now: what the raw baselines write.
   */
  static byte[] line(long seq) {
    PreparedEvent prepared = EventCodec.prepare(EVENT);
    String ts = Timestamps.format(System.currentTimeMillis());
    String text = EventCodec.encodeLine(seq, ts, runId("raw", 1), Ids.MAIN_BRANCH, prepared);
    return (text + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static String padding() {
    PreparedEvent bare = EventCodec.prepare(NewEvent.of(TYPE, DATA_PREFIX + DATA_SUFFIX));
    String ts = Timestamps.format(System.currentTimeMillis());
    int bareLength =
        EventCodec.encodeLine(123_456, ts, runId("raw", 1), Ids.MAIN_BRANCH, bare).length() + 1;
    int needed = LINE_BYTES - bareLength;
    StringBuilder text = new StringBuilder(needed);
    while (text.length() < needed) {
      text.append(LOREM, 0, Math.min(LOREM.length(), needed - text.length()));
    }
    return text.toString();
  }
}
