package io.runjournal.logging;

import io.runjournal.internal.logging.RecordCodec;
import java.time.Instant;
import java.util.Objects;

/** Field checks shared by the record types. */
final class Records {
  private Records() {}

  static Instant millis(Instant timestamp) {
    Objects.requireNonNull(timestamp, "timestamp");
    return timestamp.getNano() % 1_000_000 == 0
        ? timestamp
        : Instant.ofEpochMilli(timestamp.toEpochMilli());
  }

  static String compactJson(String field, String json) {
    return RecordCodec.compactJson(field, json);
  }
}
