package io.runjournal.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class LoggingTest {
  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  final SteppingClock clock = new SteppingClock(T0);
  final List<LogRecord> records = new CopyOnWriteArrayList<>();
  final List<String> warnings = new CopyOnWriteArrayList<>();
  final LogSink capture = records::add;

  Logging host(LogSink... sinks) {
    Logging.Builder builder =
        Logging.builder().clock(clock).warnings((message, error) -> warnings.add(message));
    for (LogSink sink : sinks) {
      builder.sink(sink);
    }
    return builder.build();
  }

  @Test
  void logger_stampsItsComponentAsSource_andChildrenNarrowIt() {
    try (Logging logging = host(capture)) {
      Logger planner = logging.logger("planner");
      planner.info("planning", Attributes.of("steps", 3));
      planner.child("search").warn("slow");

      assertThat(records)
          .containsExactly(
              new LogEntry(Level.INFO, "planning", T0, "planner", null, Map.of("steps", 3L)),
              new LogEntry(Level.WARN, "slow", T0, "planner.search", null, Map.of()));
    }
  }

  @Test
  void logger_refusesAComponentNameThatCouldForgeAnotherLine() {
    try (Logging logging = host(capture)) {
      assertThatThrownBy(() -> logging.logger(" "))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not blank");
      assertThatThrownBy(() -> logging.logger("a\nb"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("control characters");
    }
  }

  @Test
  void span_writesOpenAndClose_withDurationFromTheHostClock_andParentsItsChildren() {
    try (Logging logging = host(capture)) {
      Logger agent = logging.logger("agent");
      String outerId;
      String innerId;
      try (Span outer = agent.span("tool.call", Attributes.of("tool", "search"))) {
        outerId = outer.spanId();
        clock.advance(Duration.ofMillis(40));
        try (Span inner = outer.child("http.get")) {
          innerId = inner.spanId();
          inner.logger().info("fetching");
          clock.advance(Duration.ofMillis(200));
          inner.setAttribute("status", 200);
        }
      }

      assertThat(outerId).matches("[0-9a-f]{16}").isNotEqualTo(innerId);
      assertThat(records).hasSize(5);
      assertThat(records.get(0))
          .isEqualTo(
              new SpanOpen(
                  outerId,
                  "tool.call",
                  T0,
                  "agent",
                  null,
                  List.of(),
                  Map.of("tool", "search"),
                  null));
      assertThat(records.get(1))
          .isEqualTo(
              new SpanOpen(
                  innerId,
                  "http.get",
                  T0.plusMillis(40),
                  "agent",
                  outerId,
                  List.of(),
                  Map.of(),
                  null));
      assertThat(records.get(2))
          .isEqualTo(
              new LogEntry(Level.INFO, "fetching", T0.plusMillis(40), "agent", innerId, Map.of()));
      assertThat(records.get(3))
          .isEqualTo(
              new SpanClose(
                  innerId,
                  "http.get",
                  T0.plusMillis(240),
                  200,
                  SpanStatus.OK,
                  "agent",
                  null,
                  Map.of("status", 200L)));
      assertThat(records.get(4))
          .isEqualTo(
              new SpanClose(
                  outerId,
                  "tool.call",
                  T0.plusMillis(240),
                  240,
                  SpanStatus.OK,
                  "agent",
                  null,
                  Map.of()));
    }
  }

  @Test
  void span_withLinksAndBody_carriesThemInItsOpenRecord() {
    try (Logging logging = host(capture)) {
      try (Span span =
          logging
              .logger("agent")
              .spanBuilder("handoff")
              .links(List.of(SpanLink.to("00000000000000aa"), new SpanLink("bb", "other-run")))
              .body("{ \"task\" : [1, 2] }")
              .open()) {
        assertThat(span.name()).isEqualTo("handoff");
      }
      SpanOpen open = (SpanOpen) records.get(0);
      assertThat(open.links())
          .containsExactly(new SpanLink("00000000000000aa", null), new SpanLink("bb", "other-run"));
      assertThat(open.body()).isEqualTo("{\"task\":[1,2]}");
    }
  }

  @Test
  void inSpan_whenTheWorkThrows_closesTheSpanWithStatusError_andRethrows() {
    try (Logging logging = host(capture)) {
      Logger agent = logging.logger("agent");
      assertThatThrownBy(
              () ->
                  agent.inSpan(
                      "tool.call",
                      span -> {
                        throw new IOException("connection reset");
                      }))
          .isInstanceOf(IOException.class)
          .hasMessage("connection reset");

      SpanClose close = (SpanClose) records.get(1);
      assertThat(close.status()).isEqualTo(SpanStatus.ERROR);
      assertThat(close.error()).isEqualTo("IOException: connection reset");
    }
  }

  @Test
  void inSpan_whenTheWorkSucceeds_returnsItsResult_andClosesOk() throws Exception {
    try (Logging logging = host(capture)) {
      int answer = logging.logger("agent").inSpan("compute", span -> 42);
      logging.logger("agent").runInSpan("noop", span -> span.setAttribute("done", true));

      assertThat(answer).isEqualTo(42);
      assertThat(records)
          .filteredOn(SpanClose.class::isInstance)
          .extracting(record -> ((SpanClose) record).status())
          .containsExactly(SpanStatus.OK, SpanStatus.OK);
    }
  }

  @Test
  void span_failedInACatchBlockInsideIt_closesWithStatusError_andClosingTwiceWritesOneClose() {
    try (Logging logging = host(capture)) {
      Span span = logging.logger("agent").span("step");
      try (span) {
        try {
          throw new IllegalStateException("no route");
        } catch (IllegalStateException e) {
          span.fail(e);
        }
      }
      span.close();
      span.fail("too late: the span is closed");

      assertThat(records).filteredOn(SpanClose.class::isInstance).hasSize(1);
      SpanClose close = (SpanClose) records.get(1);
      assertThat(close.status()).isEqualTo(SpanStatus.ERROR);
      assertThat(close.error()).isEqualTo("IllegalStateException: no route");
    }
  }

  @Test
  void aSinkThatThrows_neverReachesTheCaller_andWarnsOncePerStreak() {
    boolean[] broken = {true};
    LogSink flaky =
        record -> {
          if (broken[0]) {
            throw new IllegalStateException("disk on fire");
          }
          records.add(record);
        };
    try (Logging logging = host(flaky)) {
      Logger logger = logging.logger("agent");
      assertThatCode(
              () -> {
                logger.info("one");
                logger.info("two");
                try (Span span = logger.span("three")) {
                  span.logger().error("four", new RuntimeException("x"));
                }
              })
          .doesNotThrowAnyException();
      broken[0] = false;
      logger.info("five");

      assertThat(records).extracting(LogRecord::kind).containsExactly("log");
      assertThat(warnings).hasSize(2);
      assertThat(warnings.get(0)).contains("dropped a log record").contains("disk on fire");
      assertThat(warnings.get(1)).contains("recovered after dropping 5 records");
    }
  }

  @Test
  void oddArguments_neverThrow() {
    Map<String, Object> odd = new HashMap<>();
    odd.put("nothing", null);
    odd.put("nan", Double.NaN);
    odd.put("object", List.of(1, 2));
    odd.put(null, "dropped");
    try (Logging logging = host(capture)) {
      Logger logger = logging.logger("agent");
      assertThatCode(
              () -> {
                logger.info(null, odd);
                logger.log(null, "no level", null);
                logger.span(null).close();
                logger.spanBuilder("bad body").body("{not json").open().close();
              })
          .doesNotThrowAnyException();

      LogEntry entry = (LogEntry) records.get(0);
      assertThat(entry.msg()).isEqualTo("null");
      assertThat(entry.attributes())
          .containsEntry("nothing", null)
          .containsEntry("nan", "NaN")
          .containsEntry("object", "[1, 2]")
          .hasSize(3);
      assertThat(((SpanOpen) records.get(1)).name()).isEqualTo("unnamed");
      assertThat(((SpanOpen) records.get(3)).body()).isNull();
      assertThat(warnings).anyMatch(warning -> warning.contains("dropped the body"));
    }
  }

  @Test
  void minLevel_dropsRecordsBelowIt_andAClosedHostDropsEverythingSilently() {
    Logging logging = Logging.builder().clock(clock).minLevel(Level.INFO).sink(capture).build();
    Logger logger = logging.logger("agent");
    logger.debug("hidden");
    logger.info("shown");
    assertThat(logger.isEnabled(Level.DEBUG)).isFalse();
    logging.close();
    logger.error("after close");
    logging.close();

    assertThat(records).extracting(record -> ((LogEntry) record).msg()).containsExactly("shown");
  }

  @Test
  void close_closesEverySink_evenWhenOneFailsToClose() {
    List<String> closed = new CopyOnWriteArrayList<>();
    LogSink failing =
        new LogSink() {
          @Override
          public void emit(LogRecord record) {}

          @Override
          public void close() {
            throw new IllegalStateException("cannot close");
          }
        };
    LogSink second =
        new LogSink() {
          @Override
          public void emit(LogRecord record) {}

          @Override
          public void close() {
            closed.add("second");
          }
        };
    host(failing, second).close();

    assertThat(closed).containsExactly("second");
    assertThat(warnings).anyMatch(warning -> warning.contains("cannot close"));
  }

  /** A clock that moves only when told to. */
  static final class SteppingClock extends Clock {
    private volatile Instant now;

    SteppingClock(Instant start) {
      this.now = start;
    }

    void advance(Duration step) {
      now = now.plus(step);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
