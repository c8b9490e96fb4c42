package io.runjournal.logging;

import java.util.Map;

/** How an error is described in records. */
final class Errors {
  private Errors() {}

  /** {@code SocketTimeoutException: read timed out}, or just the class when there is no message. */
  static String describe(Throwable error) {
    if (error == null) {
      return "unknown error";
    }
    String message = error.getMessage();
    String type = error.getClass().getSimpleName();
    return message == null || message.isBlank() ? type : type + ": " + message;
  }

  static Map<String, Object> attributes(Throwable error) {
    if (error == null) {
      return Map.of();
    }
    return Attributes.of(
        "exception.type", error.getClass().getName(), "exception.message", error.getMessage());
  }
}
