package io.runjournal.logback;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import io.runjournal.logging.FileFsync;
import io.runjournal.logging.FileSinkOptions;
import io.runjournal.logging.Level;
import io.runjournal.logging.Logger;
import io.runjournal.logging.Logging;
import io.runjournal.logging.SinkWarnings;
import io.runjournal.logging.Sinks;
import io.runjournal.logging.Span;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.event.KeyValuePair;

/**
 * A logback appender that sends SLF4J logging into RunJournal records ({@code log} records, DESIGN
 * §9), so that existing application code logs into a run or into a rotating NDJSON file without
 * changes.
 *
 * <p>Configured in {@code logback.xml}, it writes a file sink:
 *
 * <pre>{@code
 * <appender name="RUNJOURNAL" class="io.runjournal.logback.RunJournalAppender">
 *   <file>logs/app.jsonl</file>          <!-- required unless a host is set in code -->
 *   <maxBytes>52428800</maxBytes>        <!-- rotate before passing 50 MiB -->
 *   <keep>5</keep>                       <!-- app.jsonl.1 … app.jsonl.5 -->
 *   <fsync>periodic</fsync>              <!-- or none -->
 *   <redact>authorization,apiKey,password,token,secret</redact>
 *   <mdcKeys>requestId,user</mdcKeys>    <!-- default: every MDC key -->
 * </appender>
 * }</pre>
 *
 * <p>In code, {@link #setLogging(Logging)} sends records to a host you built, for example one with
 * {@link Sinks#run} to log into a run; the host's redaction applies and you keep ownership of it.
 *
 * <p>Each record's {@code source} is the SLF4J logger name, its {@code msg} the formatted message.
 * MDC entries and SLF4J key-value pairs become attributes, except the MDC key {@code spanId}
 * ({@link Span#inMdc()}), which attaches the record to that span. An exception becomes the
 * attributes {@code exception.type}, {@code exception.message} and {@code exception.stacktrace}.
 * TRACE maps to debug. Never blocks on a slow or broken file (the file sink has its own writer
 * thread) and never throws into the logging call. Thread-safe.
 */
public final class RunJournalAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
  private static final ThreadLocal<Boolean> APPENDING = new ThreadLocal<>();

  private Logging logging;
  private boolean ownsLogging;
  private String file;
  private long maxBytes = FileSinkOptions.DEFAULT_MAX_BYTES;
  private int keep = FileSinkOptions.DEFAULT_KEEP;
  private FileFsync fsync = FileFsync.PERIODIC;
  private Duration fsyncInterval = FileSinkOptions.DEFAULT_FSYNC_INTERVAL;
  private List<String> redact = Logging.DEFAULT_REDACTED_KEYS;
  private Set<String> mdcKeys; // null: every key
  private final Map<String, Logger> loggers = new ConcurrentHashMap<>();

  /** Sends records to {@code host} instead of a file sink; the caller keeps and closes the host. */
  public void setLogging(Logging host) {
    this.logging = host;
    this.ownsLogging = false;
  }

  /** The file the appender's own file sink writes (ignored when a host is set). */
  public void setFile(String path) {
    this.file = path;
  }

  /** Rotate before the file would pass this many bytes (default 50 MiB). */
  public void setMaxBytes(long bytes) {
    this.maxBytes = bytes;
  }

  /** How many rotated files to keep (default 5). */
  public void setKeep(int files) {
    this.keep = files;
  }

  /** {@code periodic} (default) or {@code none}. */
  public void setFsync(String mode) {
    this.fsync = FileFsync.valueOf(mode.trim().toUpperCase(Locale.ROOT));
  }

  /** The periodic fsync interval in milliseconds (default 5000). */
  public void setFsyncIntervalMs(long millis) {
    this.fsyncInterval = Duration.ofMillis(millis);
  }

  /** Comma-separated attribute keys to mask (default the host's list); empty masks nothing. */
  public void setRedact(String keys) {
    this.redact = split(keys);
  }

  /** Comma-separated MDC keys to copy into attributes (default every key). */
  public void setMdcKeys(String keys) {
    this.mdcKeys = Set.copyOf(split(keys));
  }

  private static List<String> split(String keys) {
    return Arrays.stream(keys.split(","))
        .map(String::trim)
        .filter(key -> !key.isEmpty())
        .collect(Collectors.toList());
  }

  @Override
  public void start() {
    if (logging == null) {
      if (file == null || file.isBlank()) {
        addError("RunJournalAppender needs <file>, or a Logging host set in code");
        return;
      }
      try {
        FileSinkOptions options =
            FileSinkOptions.at(Path.of(file))
                .withMaxBytes(maxBytes)
                .withKeep(keep)
                .withFsync(fsync)
                .withFsyncInterval(fsyncInterval)
                .withWarnings(warnings());
        logging =
            Logging.builder().sink(Sinks.file(options)).redact(redact).warnings(warnings()).build();
        ownsLogging = true;
      } catch (RuntimeException e) {
        addError("RunJournalAppender cannot start: " + e.getMessage(), e);
        return;
      }
    }
    super.start();
  }

  /** Warnings go to logback's status, never back through SLF4J into this appender. */
  private SinkWarnings warnings() {
    return (message, error) -> addWarn(message, error);
  }

  @Override
  public void stop() {
    super.stop();
    if (ownsLogging && logging != null) {
      logging.close();
      logging = null;
    }
    loggers.clear();
  }

  /**
   * Waits until records appended so far are handed to storage (bounded); for tests and shutdown.
   */
  public void flush() {
    Logging host = logging;
    if (host != null) {
      host.flush();
    }
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (APPENDING.get() != null) {
      return; // a sink logging about itself on this thread would recurse
    }
    APPENDING.set(Boolean.TRUE);
    try {
      Logging host = logging;
      if (host == null) {
        return;
      }
      Logger logger = loggers.computeIfAbsent(event.getLoggerName(), host::logger);
      Map<String, String> mdc = mdc(event);
      String spanId = mdc == null ? null : mdc.get(Span.MDC_KEY);
      if (spanId != null) {
        logger = logger.forSpan(spanId);
      }
      logger.log(level(event.getLevel()), event.getFormattedMessage(), attributes(event, mdc));
    } catch (RuntimeException e) {
      addError("RunJournalAppender dropped an event: " + e.getMessage(), e);
    } finally {
      APPENDING.remove();
    }
  }

  /** The event's MDC; none when the logger context has no MDC adapter (a bare context). */
  private static Map<String, String> mdc(ILoggingEvent event) {
    try {
      return event.getMDCPropertyMap();
    } catch (NullPointerException e) {
      return Map.of();
    }
  }

  private Map<String, Object> attributes(ILoggingEvent event, Map<String, String> mdc) {
    Map<String, Object> attributes = new LinkedHashMap<>();
    if (mdc != null) {
      mdc.forEach(
          (key, value) -> {
            if (!key.equals(Span.MDC_KEY) && (mdcKeys == null || mdcKeys.contains(key))) {
              attributes.put(key, value);
            }
          });
    }
    List<KeyValuePair> pairs = event.getKeyValuePairs();
    if (pairs != null) {
      for (KeyValuePair pair : pairs) {
        attributes.put(pair.key, pair.value);
      }
    }
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown != null) {
      attributes.put("exception.type", thrown.getClassName());
      attributes.put("exception.message", thrown.getMessage());
      attributes.put("exception.stacktrace", ThrowableProxyUtil.asString(thrown));
    }
    return attributes;
  }

  private static Level level(ch.qos.logback.classic.Level level) {
    return switch (level.toInt()) {
      case ch.qos.logback.classic.Level.ERROR_INT -> Level.ERROR;
      case ch.qos.logback.classic.Level.WARN_INT -> Level.WARN;
      case ch.qos.logback.classic.Level.INFO_INT -> Level.INFO;
      default -> Level.DEBUG;
    };
  }
}
