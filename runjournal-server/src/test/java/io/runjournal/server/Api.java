package io.runjournal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/** Reading and checking API responses in tests: JSON bodies, problem details, event seqs. */
final class Api {
  static final ObjectMapper JSON = new ObjectMapper();

  private Api() {}

  /** The body of {@code response} as JSON; fails the test, quoting the body, if it is not. */
  static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + describe(response), e);
    }
  }

  /** The body of a successful JSON response with {@code status}. */
  static JsonNode ok(HttpResponse<String> response, int status) {
    assertThat(response.statusCode()).as(describe(response)).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type"))
        .as(describe(response))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    return json(response);
  }

  /**
   * Checks that {@code response} is an RFC 9457 problem with this status and type slug, and the
   * fields every problem has; returns it.
   */
  static JsonNode problem(HttpResponse<String> response, int status, String type) {
    assertThat(response.statusCode()).as(describe(response)).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type"))
        .as(describe(response))
        .hasValueSatisfying(value -> assertThat(value).startsWith("application/problem+json"));
    JsonNode problem = json(response);
    assertThat(problem.path("type").asText()).as(describe(response)).isEqualTo(type);
    assertThat(problem.path("status").asInt()).as(describe(response)).isEqualTo(status);
    assertThat(problem.path("title").asText()).as(describe(response)).isNotBlank();
    assertThat(problem.path("detail").asText()).as(describe(response)).isNotBlank();
    return problem;
  }

  /** The seqs of a replay's {@code events} array, in order. */
  static List<Long> seqs(JsonNode replay) {
    List<Long> seqs = new ArrayList<>();
    for (JsonNode event : replay.path("events")) {
      seqs.add(event.path("seq").asLong());
    }
    return seqs;
  }

  /** The numbers of a JSON array. */
  static List<Long> longs(JsonNode array) {
    List<Long> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asLong()));
    return values;
  }

  /** Parses one line of JSON. */
  static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Status and body, for assertion messages. */
  static String describe(HttpResponse<String> response) {
    return response.request().method()
        + " "
        + response.uri()
        + " -> "
        + response.statusCode()
        + " "
        + response.body();
  }
}
