package io.runjournal.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Keeps the console quiet while the server log gets more: passes warnings and errors, and info from
 * the loggers named in {@code infoFrom} (the one-line recovery report). Configured in {@code
 * logback.xml}.
 */
public final class ConsoleFilter extends Filter<ILoggingEvent> {
  private Set<String> infoFrom = Set.of();

  /** Comma-separated logger names whose info lines are shown too. */
  public void setInfoFrom(String loggers) {
    this.infoFrom =
        Arrays.stream(loggers.split(","))
            .map(String::trim)
            .filter(name -> !name.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
  }

  @Override
  public FilterReply decide(ILoggingEvent event) {
    if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
      return FilterReply.NEUTRAL;
    }
    if (event.getLevel() == Level.INFO && infoFrom.contains(event.getLoggerName())) {
      return FilterReply.NEUTRAL;
    }
    return FilterReply.DENY;
  }
}
