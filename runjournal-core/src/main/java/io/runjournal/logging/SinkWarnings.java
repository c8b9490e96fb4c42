package io.runjournal.logging;

import org.slf4j.LoggerFactory;

/**
 * Receives the warnings of fail-safe sinks: a record dropped because a file could not be opened or
 * written, a queue that was full. Must not throw; must not log back into the sink that warns.
 */
@FunctionalInterface
public interface SinkWarnings {

  /** Warnings logged at WARN through SLF4J, under the logger {@code io.runjournal.logging}. */
  SinkWarnings SLF4J =
      (message, error) -> {
        if (error == null) {
          LoggerFactory.getLogger("io.runjournal.logging").warn(message);
        } else {
          LoggerFactory.getLogger("io.runjournal.logging")
              .warn("{}: {}", message, error.toString());
        }
      };

  /** One warning: what happened (naming the file or run) and the error behind it, or null. */
  void warn(String message, Throwable error);
}
