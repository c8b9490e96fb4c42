package io.runjournal.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.runjournal.FsyncPolicy;
import io.runjournal.Journal;
import io.runjournal.JournalOptions;
import io.runjournal.ReadQuery;
import io.runjournal.SubscribeOptions;
import io.runjournal.Subscription;
import io.runjournal.internal.logging.RecordCodec;
import io.runjournal.model.Event;
import io.runjournal.model.NewEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunSinkTest {
  @TempDir Path data;
  Journal journal;
  final List<String> warnings = new CopyOnWriteArrayList<>();

  @BeforeEach
  void open() {
    journal = Journal.open(data, JournalOptions.defaults().withFsync(FsyncPolicy.NONE));
  }

  @AfterEach
  void close() {
    journal.close();
  }

  Logging host(String run) {
    return Logging.builder()
        .sink(Sinks.run(journal, run, "main", (message, error) -> warnings.add(message)))
        .warnings((message, error) -> warnings.add(message))
        .build();
  }

  @Test
  void records_becomeTheRunsEvents_whoseDataParsesBackToTheRecords() throws Exception {
    List<LogRecord> written = new ArrayList<>();
    try (Logging logging =
        Logging.builder().sink(Sinks.run(journal, "pipe-01")).sink(written::add).build()) {
      Logger logger = logging.logger("agent");
      try (Span span = logger.span("tool.call", Attributes.of("tool", "search"))) {
        span.logger().info("searching", Attributes.of("query", "fsync", "limit", 10));
      }
    }

    List<Event> events = journal.read("pipe-01", ReadQuery.all()).events();
    assertThat(events).extracting(Event::type).containsExactly("span.open", "log", "span.close");
    for (int i = 0; i < events.size(); i++) {
      assertThat(RecordCodec.parse(events.get(i).data())).isEqualTo(written.get(i));
    }
  }

  @Test
  void records_reachALiveSubscriberAsTheyAreLogged() throws Exception {
    try (Logging logging = host("live");
        Subscription subscription = journal.subscribe("live", SubscribeOptions.fromStart())) {
      Span span = logging.logger("agent").span("long.task");
      List<Event> seen = subscription.poll(Duration.ofSeconds(5));
      assertThat(seen).extracting(Event::type).containsExactly("span.open");

      span.logger().warn("still working");
      assertThat(subscription.poll(Duration.ofSeconds(5)))
          .extracting(Event::type)
          .containsExactly("log");
    }
  }

  @Test
  void aRunThatEnded_dropsLaterRecordsWithOneWarning_andNeverThrows() {
    journal.append("ended", NewEvent.of("run.completed"));
    try (Logging logging = host("ended")) {
      Logger logger = logging.logger("agent");
      assertThatCode(
              () -> {
                logger.info("late");
                logger.info("later");
              })
          .doesNotThrowAnyException();
    }

    assertThat(journal.head("ended", "main")).isEqualTo(1);
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0)).contains("run \"ended\"").contains("dropped a log record");
  }

  @Test
  void redactedKeys_neverReachTheRun_inAttributesOrSpanBodies() throws Exception {
    try (Logging logging =
        Logging.builder()
            .sink(Sinks.run(journal, "secrets"))
            .redact("password", "apiKey")
            .build()) {
      Logger logger = logging.logger("agent");
      logger.info("login", Attributes.of("user", "ada", "Password", "hunter2-value"));
      logger
          .spanBuilder("call")
          .attributes(Attributes.of("api_key", "sk-live-123"))
          .body("{\"request\":{\"headers\":[{\"API-KEY\":\"sk-live-456\"}],\"q\":\"ok\"}}")
          .open()
          .close();
    }

    String journalText =
        Files.readString(
            data.resolve("runs").resolve("secrets").resolve("events.jsonl"),
            StandardCharsets.UTF_8);
    assertThat(journalText)
        .doesNotContain("hunter2-value")
        .doesNotContain("sk-live-123")
        .doesNotContain("sk-live-456")
        .contains("\"Password\":\"[REDACTED]\"")
        .contains("\"API-KEY\":\"[REDACTED]\"")
        .contains("\"user\":\"ada\"")
        .contains("\"q\":\"ok\"")
        .contains("\"type\":\"span.close\"");
  }

  @Test
  void defaultRedaction_masksAuthorizationApiKeyPasswordTokenAndSecret() {
    List<LogRecord> written = new ArrayList<>();
    try (Logging logging = Logging.builder().sink(written::add).build()) {
      logging
          .logger("agent")
          .info(
              "request",
              Attributes.of(
                  "Authorization", "Bearer abc",
                  "apiKey", "k",
                  "password", "p",
                  "TOKEN", "t",
                  "client_secret", "not a configured key",
                  "secret", "s",
                  "path", "/v1"));
    }

    assertThat(written.get(0).attributes())
        .containsEntry("Authorization", "[REDACTED]")
        .containsEntry("apiKey", "[REDACTED]")
        .containsEntry("password", "[REDACTED]")
        .containsEntry("TOKEN", "[REDACTED]")
        .containsEntry("secret", "[REDACTED]")
        .containsEntry("client_secret", "not a configured key")
        .containsEntry("path", "/v1");
  }
}
