package io.runjournal.server.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import io.runjournal.logback.RunJournalAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's own log (DESIGN §3 and §9): everything the process logs through SLF4J, from the
 * level each logger is configured at, goes through the RunJournal file sink to {@code
 * <data>/logs/runjournal.jsonl}, rotated at 50 MiB into {@code .1} … {@code .5}, synced every 5 s,
 * with the default keys redacted. The appender is attached to logback's root logger while the
 * server runs and detached at {@link #close()}. If SLF4J is not bound to logback (an application
 * embedding the server with another backend), nothing is installed.
 */
public final class ServerLogs implements AutoCloseable {
  /** The file under the data directory. */
  public static final Path FILE = Path.of("logs", "runjournal.jsonl");

  private static final Logger log = LoggerFactory.getLogger(ServerLogs.class);

  private final LoggerContext context;
  private final RunJournalAppender appender;

  private ServerLogs(LoggerContext context, RunJournalAppender appender) {
    this.context = context;
    this.appender = appender;
  }

  /**
   * Starts writing the process's logs to {@code <dataDir>/logs/runjournal.jsonl}. Never fails the
   * server: if the directory cannot be created, it says so on the console and logs nowhere else.
   */
  public static ServerLogs install(Path dataDir) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return new ServerLogs(null, null);
    }
    Path file = dataDir.resolve(FILE);
    try {
      Files.createDirectories(file.getParent());
    } catch (IOException e) {
      log.warn("cannot create {} for the server log: {}", file.getParent(), e.toString());
      return new ServerLogs(null, null);
    }
    RunJournalAppender appender = new RunJournalAppender();
    appender.setName("runjournal-server-log");
    appender.setContext(context);
    appender.setFile(file.toString());
    appender.start();
    if (!appender.isStarted()) {
      log.warn("cannot write the server log to {}", file);
      return new ServerLogs(null, null);
    }
    root(context).addAppender(appender);
    return new ServerLogs(context, appender);
  }

  private static ch.qos.logback.classic.Logger root(LoggerContext context) {
    return context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  /** Hands what was logged so far to the file (bounded wait); for tests. */
  public void flush() {
    if (appender != null) {
      appender.flush();
    }
  }

  /** Detaches and stops the appender, which syncs and closes the file. Idempotent. */
  @Override
  public void close() {
    if (appender != null && appender.isStarted()) {
      Appender<ILoggingEvent> detached = appender;
      root(context).detachAppender(detached);
      appender.stop();
    }
  }
}
