package io.runjournal.logging;

import io.runjournal.internal.logging.GuardedSink;
import io.runjournal.internal.logging.Redactor;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The host of logs and spans (DESIGN §9): it hands {@link Logger}s to components, stamps every
 * record with the component's {@code source} and the host clock's time, masks redacted attribute
 * keys, and fans records out to its sinks.
 *
 * <pre>{@code
 * try (Logging logging = Logging.builder().sink(Sinks.run(journal, "pipe-01")).build()) {
 *   Logger log = logging.logger("planner");
 *   try (Span span = log.span("tool.call", Attributes.of("tool", "search"))) {
 *     span.logger().info("searching", Attributes.of("query", "fsync"));
 *   }
 * }
 * }</pre>
 *
 * <p>Fail-safe: nothing a sink does, and no odd argument, makes a {@code Logger} or {@code Span}
 * method throw; a record that cannot be written is dropped with a warning. Thread-safe. The host
 * owns the sinks it was built with and closes them in {@link #close()}.
 */
public final class Logging implements AutoCloseable {
  /** The attribute keys redacted by default, compared ignoring case, {@code _} and {@code -}. */
  public static final List<String> DEFAULT_REDACTED_KEYS =
      List.of("authorization", "apiKey", "password", "token", "secret");

  private final Clock clock;
  private final List<GuardedSink> sinks;
  private final Redactor redactor;
  private final Level minLevel;
  private final SinkWarnings warnings;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Logging(Builder builder) {
    this.clock = builder.clock;
    this.warnings = builder.warnings;
    this.redactor = new Redactor(builder.redactedKeys);
    this.minLevel = builder.minLevel;
    List<GuardedSink> guarded = new ArrayList<>(builder.sinks.size());
    for (LogSink sink : builder.sinks) {
      guarded.add(new GuardedSink(sink, warnings));
    }
    this.sinks = List.copyOf(guarded);
  }

  /** A builder with the system UTC clock, no sinks, level debug and the default redacted keys. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A logger whose records carry {@code component} as their {@code source}. Hand each component its
   * own logger; it can narrow the source with {@link Logger#child} but never replace it.
   *
   * @throws IllegalArgumentException if the component name is blank, longer than 256 characters or
   *     holds a control character
   */
  public Logger logger(String component) {
    return new Logger(this, requireComponent(component), null);
  }

  static String requireComponent(String component) {
    if (component == null || component.isBlank() || component.length() > 256) {
      throw new IllegalArgumentException(
          "a component name must be 1 to 256 characters and not blank, got "
              + Level.quote(component));
    }
    for (int i = 0; i < component.length(); i++) {
      if (Character.isISOControl(component.charAt(i))) {
        throw new IllegalArgumentException(
            "a component name must not hold control characters, got " + Level.quote(component));
      }
    }
    return component;
  }

  boolean isEnabled(Level level) {
    return level.compareTo(minLevel) >= 0 && !closed.get();
  }

  Instant now() {
    return clock.instant();
  }

  void warn(String message, Throwable error) {
    try {
      warnings.warn(message, error);
    } catch (RuntimeException ignored) {
      // A warning handler that throws must not turn logging into a failure of the caller.
    }
  }

  /** Redacts the record and hands it to every sink; never throws. */
  void emit(LogRecord record) {
    if (closed.get()) {
      return;
    }
    LogRecord redacted;
    try {
      redacted = redactor.apply(record);
    } catch (RuntimeException e) {
      warn(
          "dropped a " + record.kind() + " record from " + record.source() + ": redaction failed",
          e);
      return;
    }
    for (GuardedSink sink : sinks) {
      sink.emit(redacted);
    }
  }

  /** Flushes every sink (see {@link LogSink#flush()}); never throws. */
  public void flush() {
    for (GuardedSink sink : sinks) {
      sink.flush();
    }
  }

  /**
   * Closes every sink, keeping on when one fails (its failure becomes a warning). Later records are
   * dropped silently. Idempotent; never throws.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      for (GuardedSink sink : sinks) {
        sink.close();
      }
    }
  }

  /** Builds a {@link Logging} host. Not thread-safe; build once, then share the host. */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private final List<LogSink> sinks = new ArrayList<>();
    private List<String> redactedKeys = DEFAULT_REDACTED_KEYS;
    private Level minLevel = Level.DEBUG;
    private SinkWarnings warnings = SinkWarnings.SLF4J;

    private Builder() {}

    /** The clock that stamps records and times spans. */
    public Builder clock(Clock source) {
      this.clock = Objects.requireNonNull(source, "clock");
      return this;
    }

    /** Adds a sink; records go to every sink, in the order they were added. */
    public Builder sink(LogSink sink) {
      sinks.add(Objects.requireNonNull(sink, "sink"));
      return this;
    }

    /**
     * The attribute keys whose values are masked before any sink sees them, replacing the default
     * list; compared ignoring case, {@code _} and {@code -}. Keys inside a span's JSON body are
     * masked too.
     */
    public Builder redact(Collection<String> keys) {
      List<String> copy = List.copyOf(keys);
      for (String key : copy) {
        if (key.isBlank()) {
          throw new IllegalArgumentException("a redacted key must not be blank");
        }
      }
      this.redactedKeys = copy;
      return this;
    }

    /** As {@link #redact(Collection)}. */
    public Builder redact(String... keys) {
      return redact(Arrays.asList(keys));
    }

    /** Drops log records below this level before they are built (default debug). */
    public Builder minLevel(Level level) {
      this.minLevel = Objects.requireNonNull(level, "minLevel");
      return this;
    }

    /** Where the host and its guarded sinks report dropped records (default SLF4J). */
    public Builder warnings(SinkWarnings handler) {
      this.warnings = Objects.requireNonNull(handler, "warnings");
      return this;
    }

    /** The host. */
    public Logging build() {
      return new Logging(this);
    }
  }
}
