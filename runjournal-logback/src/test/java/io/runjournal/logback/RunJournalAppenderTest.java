package io.runjournal.logback;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import io.runjournal.FsyncPolicy;
import io.runjournal.Journal;
import io.runjournal.JournalOptions;
import io.runjournal.ReadQuery;
import io.runjournal.logging.Level;
import io.runjournal.logging.LogEntry;
import io.runjournal.logging.LogRecord;
import io.runjournal.logging.Logging;
import io.runjournal.logging.Sinks;
import io.runjournal.logging.Span;
import io.runjournal.logging.SpanOpen;
import io.runjournal.model.Event;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class RunJournalAppenderTest {
  static final String LOGGER = "com.example.Planner";

  final List<LogRecord> records = new CopyOnWriteArrayList<>();
  final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
  RunJournalAppender appender;
  Logging logging;

  /** Plain SLF4J code, as an application has it, logging under {@link #LOGGER}. */
  final org.slf4j.Logger applicationLog = LoggerFactory.getLogger(LOGGER);

  void attach(Logging host) {
    logging = host;
    appender = new RunJournalAppender();
    appender.setContext(context);
    appender.setLogging(host);
    appender.start();
    ch.qos.logback.classic.Logger logger = context.getLogger(LOGGER);
    logger.setLevel(ch.qos.logback.classic.Level.TRACE);
    logger.setAdditive(false);
    logger.addAppender(appender);
  }

  @AfterEach
  void detach() {
    ch.qos.logback.classic.Logger logger = context.getLogger(LOGGER);
    logger.detachAppender(appender);
    logger.setLevel(null);
    logger.setAdditive(true);
    appender.stop();
    logging.close();
    MDC.clear();
  }

  @Test
  void slf4jLogging_becomesLogRecords_withTheLoggerNameAsSource() {
    attach(Logging.builder().sink(records::add).build());

    applicationLog.info("planned {} steps", 3);
    applicationLog.trace("fine detail");

    assertThat(records).hasSize(2);
    LogEntry first = (LogEntry) records.get(0);
    assertThat(first.level()).isEqualTo(Level.INFO);
    assertThat(first.msg()).isEqualTo("planned 3 steps");
    assertThat(first.source()).isEqualTo(LOGGER);
    assertThat(first.spanId()).isNull();
    assertThat(((LogEntry) records.get(1)).level()).isEqualTo(Level.DEBUG);
  }

  @Test
  void mdcEntriesAndKeyValuePairs_becomeAttributes_andAnExceptionIsDescribed() {
    attach(Logging.builder().sink(records::add).build());

    MDC.put("requestId", "req-7");
    applicationLog.atWarn().addKeyValue("attempt", 2).addKeyValue("final", false).log("retrying");
    applicationLog.error("failed", new IllegalStateException("no route"));

    LogEntry retry = (LogEntry) records.get(0);
    assertThat(retry.attributes())
        .containsEntry("requestId", "req-7")
        .containsEntry("attempt", 2L)
        .containsEntry("final", false);
    LogEntry failure = (LogEntry) records.get(1);
    assertThat(failure.attributes())
        .containsEntry("exception.type", "java.lang.IllegalStateException")
        .containsEntry("exception.message", "no route");
    assertThat((String) failure.attributes().get("exception.stacktrace"))
        .contains("RunJournalAppenderTest");
  }

  @Test
  void theSpanIdInTheMdc_attachesPlainLoggingToThatSpan() {
    attach(Logging.builder().sink(records::add).build());

    try (Span span = logging.logger("agent").span("tool.call")) {
      Span.MdcScope scope = span.inMdc();
      applicationLog.info("inside");
      scope.close();
    }
    applicationLog.info("outside");

    String spanId = ((SpanOpen) records.get(0)).spanId();
    assertThat(((LogEntry) records.get(1)).spanId()).isEqualTo(spanId);
    assertThat(((LogEntry) records.get(1)).attributes()).doesNotContainKey("spanId");
    assertThat(((LogEntry) records.get(3)).spanId()).isNull();
  }

  @Test
  void aHostWithARunSink_sendsApplicationLoggingIntoTheRun_redacted(@TempDir Path data) {
    try (Journal journal =
        Journal.open(data, JournalOptions.defaults().withFsync(FsyncPolicy.NONE))) {
      attach(Logging.builder().sink(Sinks.run(journal, "job-42")).build());

      MDC.put("password", "hunter2");
      applicationLog.info("connected");

      List<Event> events = journal.read("job-42", ReadQuery.all()).events();
      assertThat(events).extracting(Event::type).containsExactly("log");
      assertThat(events.get(0).data())
          .contains("\"msg\":\"connected\"")
          .contains("\"source\":\"" + LOGGER + "\"")
          .contains("\"password\":\"[REDACTED]\"")
          .doesNotContain("hunter2");
    }
  }
}
