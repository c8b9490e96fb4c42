package io.runjournal.internal.logging;

import io.runjournal.logging.SinkWarnings;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every warning for the test to look at. Thread-safe. */
final class CollectingWarnings implements SinkWarnings {
  /** One warning as received. */
  record Warning(String message, Throwable error) {}

  final List<Warning> warnings = new CopyOnWriteArrayList<>();

  @Override
  public void warn(String message, Throwable error) {
    warnings.add(new Warning(message, error));
  }

  List<String> messages() {
    return warnings.stream().map(Warning::message).toList();
  }
}
