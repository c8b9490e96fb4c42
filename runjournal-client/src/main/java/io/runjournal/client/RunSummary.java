package io.runjournal.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A run's summary, the server's projection of it (DESIGN §8: {@code status}, {@code createdAt},
 * {@code head}, {@code eventCount}, {@code progress}, …). It is kept as JSON because the projection
 * grows; read its fields with {@code json().path("status").asText()} and the like.
 *
 * @param id the run id
 * @param json the summary as the server sent it
 */
public record RunSummary(String id, JsonNode json) {

  /** Checks both parts are present. */
  public RunSummary {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(json, "json");
  }
}
