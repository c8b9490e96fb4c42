package io.runjournal.logback;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import io.runjournal.internal.json.MalformedLineException;
import io.runjournal.internal.logging.RecordCodec;
import io.runjournal.logging.LogEntry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The appender configured from logback XML, as an application would, writing a file sink. */
class AppenderFileConfigTest {
  @TempDir Path dir;

  LoggerContext configure(String appenderBody) throws JoranException {
    String xml =
        """
        <configuration>
          <appender name="RUNJOURNAL" class="io.runjournal.logback.RunJournalAppender">
            %s
          </appender>
          <root level="INFO"><appender-ref ref="RUNJOURNAL"/></root>
        </configuration>
        """
            .formatted(appenderBody);
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(org.slf4j.MDC.getMDCAdapter()); // as the SLF4J binding does
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    return context;
  }

  static List<LogEntry> entries(Path file) throws IOException, MalformedLineException {
    List<LogEntry> entries = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      entries.add((LogEntry) RecordCodec.parse(line));
    }
    return entries;
  }

  @Test
  void xmlConfiguredAppender_writesOneRecordPerLine_redactingConfiguredKeys() throws Exception {
    Path file = dir.resolve("app.jsonl");
    LoggerContext context =
        configure(
            "<file>%s</file><fsync>none</fsync><redact>sessionKey</redact><mdcKeys>user</mdcKeys>"
                .formatted(file));
    org.slf4j.Logger log = context.getLogger("com.example.Billing");
    org.slf4j.MDC.put("user", "ada");
    org.slf4j.MDC.put("ignored", "not mapped");
    try {
      log.atInfo().addKeyValue("sessionKey", "s3cr3t").addKeyValue("amount", 12.5).log("charged");
      log.debug("below the root level");
    } finally {
      org.slf4j.MDC.clear();
    }
    context.stop(); // stops the appender: drains, and closes the file

    List<LogEntry> entries = entries(file);
    assertThat(entries).hasSize(1);
    assertThat(entries.get(0).source()).isEqualTo("com.example.Billing");
    assertThat(entries.get(0).msg()).isEqualTo("charged");
    assertThat(entries.get(0).attributes())
        .containsEntry("user", "ada")
        .containsEntry("sessionKey", "[REDACTED]")
        .containsEntry("amount", 12.5)
        .doesNotContainKey("ignored");
    assertThat(Files.readString(file)).doesNotContain("s3cr3t");
  }

  @Test
  void xmlConfiguredAppender_rotatesAtMaxBytes() throws Exception {
    Path file = dir.resolve("app.jsonl");
    LoggerContext context =
        configure("<file>%s</file><maxBytes>400</maxBytes><keep>2</keep>".formatted(file));
    org.slf4j.Logger log = context.getLogger("com.example.Loop");
    for (int i = 0; i < 40; i++) {
      log.info("iteration {}", i);
    }
    context.stop();

    assertThat(Path.of(file + ".1")).exists();
    assertThat(Path.of(file + ".2")).exists();
    assertThat(Path.of(file + ".3")).doesNotExist();
    List<LogEntry> newest = entries(file);
    assertThat(newest).isNotEmpty();
    assertThat(newest.get(newest.size() - 1).msg()).isEqualTo("iteration 39");
    assertThat(entries(Path.of(file + ".1"))).isNotEmpty();
  }

  @Test
  void aContextWithoutAnMdcAdapter_stillGetsItsLinesWritten() throws Exception {
    Path file = dir.resolve("app.jsonl");
    String xml =
        """
        <configuration>
          <appender name="RUNJOURNAL" class="io.runjournal.logback.RunJournalAppender">
            <file>%s</file>
          </appender>
          <root level="INFO"><appender-ref ref="RUNJOURNAL"/></root>
        </configuration>
        """
            .formatted(file);
    LoggerContext context = new LoggerContext();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    context.getLogger("bare").info("no MDC here");
    context.stop();

    assertThat(entries(file)).extracting(LogEntry::msg).containsExactly("no MDC here");
  }

  @Test
  void anAppenderWithoutAFileOrHost_doesNotStart_andLogsNothing() throws Exception {
    LoggerContext context = configure("<fsync>none</fsync>");
    context.getLogger("x").info("dropped");

    assertThat(context.getStatusManager().getCopyOfStatusList())
        .anyMatch(status -> status.getMessage().contains("needs <file>"));
    context.stop();
  }
}
