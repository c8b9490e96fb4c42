package io.runjournal.server;

import static io.runjournal.server.Api.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property: no request, however hostile, yields a 5xx; every refusal is a problem+json. Bodies,
 * paths, query parameters and framing are drawn at random (garbage bytes, deep nesting, huge
 * numbers, invalid UTF-8, lone surrogates, malformed escapes) and sent over a raw socket, so that
 * what a well-behaved client would refuse to send reaches the server too.
 *
 * <p>The seed is printed in every failure; rerun one with {@code -Drunjournal.hostile.seed=N}.
 */
class HostileInputTest {
  private static final int REQUESTS = Integer.getInteger("runjournal.hostile.requests", 600);

  @TempDir Path data;

  private static final String[] RUNS = {
    "h1",
    "h2",
    "run.completed",
    "..",
    ".",
    "%2e%2e",
    "%2F",
    "a%2Fb",
    "%00",
    "a%00",
    "%ff",
    "%",
    "%zz",
    "a%0Ab",
    "a%0D%0Ab",
    "%C0%AF",
    "caf\u00c3\u00a9",
    "a b",
    "a\tb",
    "-x",
    "a".repeat(129),
    "a".repeat(5_000),
    "a;b",
    "a?b",
    "%3F",
    "%23",
    "~",
    "%u0041",
    "\u00ff"
  };
  private static final String[] PARAMS = {
    "afterSeq",
    "beforeSeq",
    "limit",
    "order",
    "strict",
    "branch",
    "type",
    "expectedSeq",
    "prefix",
    "status",
    "cursor",
    "unknown",
    ""
  };
  private static final String[] VALUES = {
    "-1",
    "0",
    "1",
    "3",
    "10000",
    "10001",
    "99999999999999999999",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "1e3",
    "0x10",
    " 1",
    "",
    "%00",
    "%ff",
    "%",
    "%zz",
    "true",
    "false",
    "maybe",
    "desc",
    "asc",
    "recent",
    "id",
    "..",
    "a,b,,c",
    "%2C%2C",
    ",",
    "x".repeat(3_000),
    "%0A",
    "%0D%0A",
    "main",
    "run.completed",
    "aTo6Li4",
    "r:x:y",
    "cjoxOnI",
    "=",
    "&",
    "%26"
  };
  private static final String[] CONTENT_TYPES = {
    null,
    "application/json",
    "application/x-ndjson",
    "text/plain",
    "application/json; charset=utf-16",
    "multipart/form-data; boundary=x",
    "application/x-www-form-urlencoded",
    "\u00ff/\u00ff"
  };

  @Test
  void hostileRequests_neverYieldA5xx() throws Exception {
    long seed = Long.getLong("runjournal.hostile.seed", System.nanoTime());
    Random random = new Random(seed);
    try (TestServer server =
        TestServer.start(
            data,
            config ->
                config.withLimits(
                    config.limits().withMaxRequestBytes(256 * 1024).withMaxBatchEvents(50)))) {
      for (int i = 0; i < REQUESTS; i++) {
        Request request = randomRequest(random);
        RawHttp.Response response;
        try {
          response =
              RawHttp.send(server, request.method, request.target, request.body, request.headers);
        } catch (java.io.IOException e) {
          throw new AssertionError(
              "seed " + seed + ", request " + i + ": " + request + ": " + e, e);
        }
        String context = "seed " + seed + ", request " + i + ": " + request + " -> " + response;
        assertThat(response.status()).as(context).isLessThan(500);
        if (response.status() >= 400 && !request.method.equals("HEAD")) {
          assertThat(response.contentType()).as(context).startsWith("application/problem+json");
          JsonNode problem = Api.parse(response.bodyText());
          assertThat(problem.path("status").asInt()).as(context).isEqualTo(response.status());
          assertThat(problem.path("type").asText()).as(context).isNotBlank();
          assertThat(problem.path("detail").asText()).as(context).isNotBlank();
        }
      }
      assertThat(server.get("/healthz").statusCode()).isEqualTo(200);
      ok(server.post("/v1/runs/after-hostile/events", "{\"type\":\"a\"}"), 201);
    }
  }

  private record Request(String method, String target, byte[] body, String[] headers) {
    @Override
    public String toString() {
      String shownBody =
          body == null
              ? "(no body)"
              : body.length > 200
                  ? body.length
                      + " bytes starting "
                      + new String(body, 0, 200, StandardCharsets.ISO_8859_1)
                  : new String(body, StandardCharsets.ISO_8859_1);
      String shownTarget = target.length() > 300 ? target.substring(0, 300) + "…" : target;
      return method + " " + shownTarget + " " + List.of(headers) + " " + shownBody;
    }
  }

  private static Request randomRequest(Random random) {
    String run = pick(random, RUNS);
    String query = randomQuery(random);
    List<String> headers = new ArrayList<>();
    String contentType = pick(random, CONTENT_TYPES);
    if (contentType != null) {
      headers.add("Content-Type: " + contentType);
    }
    if (random.nextInt(4) == 0) {
      headers.add("Accept: application/x-ndjson");
    }
    return switch (random.nextInt(8)) {
      case 0, 1, 2 ->
          new Request(
              "POST", "/v1/runs/" + run + "/events" + query, randomBody(random), array(headers));
      case 3 -> new Request("GET", "/v1/runs/" + run + "/events" + query, null, array(headers));
      case 4 ->
          new Request(
              pick(random, new String[] {"GET", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"}),
              "/v1/runs/" + run + query,
              random.nextBoolean() ? null : randomBody(random),
              array(headers));
      case 5 -> new Request("GET", "/v1/runs" + query, null, array(headers));
      case 6 -> new Request("POST", "/v1/runs" + query, randomCreateBody(random), array(headers));
      default -> {
        if (random.nextBoolean()) {
          headers.add("Transfer-Encoding: chunked");
          yield new Request(
              "POST",
              "/v1/runs/" + run + "/events",
              "zz\r\n{}\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1),
              array(headers));
        }
        yield new Request("POST", "/v1/auth/login" + query, randomBody(random), array(headers));
      }
    };
  }

  private static String[] array(List<String> headers) {
    return headers.toArray(String[]::new);
  }

  private static String randomQuery(Random random) {
    int count = random.nextInt(4);
    if (count == 0) {
      return "";
    }
    StringBuilder query = new StringBuilder("?");
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        query.append('&');
      }
      query.append(pick(random, PARAMS)).append('=').append(pick(random, VALUES));
    }
    return query.toString();
  }

  private static byte[] randomCreateBody(Random random) {
    return switch (random.nextInt(6)) {
      case 0 -> utf8("{\"id\":\"" + pick(random, RUNS) + "\"}");
      case 1 -> utf8("{\"id\":" + pick(random, VALUES).replace("%", "") + "1}");
      case 2 ->
          utf8("{\"meta\":" + pick(random, new String[] {"[]", "1", "null", "{\"a\":1}"}) + "}");
      case 3 -> utf8("{\"id\":\"c" + random.nextInt(1_000) + "\",\"meta\":{\"k\":\"v\"}}");
      default -> randomBody(random);
    };
  }

  private static byte[] randomBody(Random random) {
    return switch (random.nextInt(16)) {
      case 0 -> new byte[0];
      case 1 -> {
        byte[] garbage = new byte[random.nextInt(2_000)];
        random.nextBytes(garbage);
        yield garbage;
      }
      case 2 -> utf8("[".repeat(50_000) + "]".repeat(random.nextBoolean() ? 50_000 : 3));
      case 3 ->
          utf8("{\"type\":\"a\",\"data\":" + "{\"a\":".repeat(3_000) + "1" + "}".repeat(3_001));
      case 4 -> utf8("{\"type\":\"a\",\"data\":" + pick(random, HUGE_NUMBERS) + "}");
      case 5 -> utf8("{\"type\":\"a\",\"seq\":" + pick(random, HUGE_NUMBERS) + "}");
      case 6 -> invalidUtf8(random);
      case 7 ->
          utf8(
              "{\"type\":\"a\",\""
                  + pick(random, new String[] {"data", "id", "type", "meta"})
                  + "\":\"\\uD800"
                  + pick(random, new String[] {"", "x", "\\uDC00", "\\uDFFF\\uD800"})
                  + "\"}");
      case 8 -> {
        byte[] bom = {(byte) 0xFE, (byte) 0xFF, 0, '{', 0, '}'};
        byte[] utf32 = {0, 0, 0, '{', 0, 0, 0, '}'};
        yield random.nextBoolean() ? bom : utf32;
      }
      case 9 -> utf8("{\"type\":\"a\",\"type\":\"b\"}");
      case 10 -> utf8("{\"type\":\"a\",\"data\":{\"k\":1,\"k\":2}}");
      case 11 -> mutate(random, validBatch(random));
      case 12 ->
          utf8(
              "{\"type\":\""
                  + "t".repeat(random.nextInt(300))
                  + "\",\"id\":\""
                  + "i".repeat(random.nextInt(300))
                  + "\"}");
      case 13 ->
          utf8(
              "{\"type\":\"a\",\"data\":\""
                  + "\\u0000\\\"\\\\".repeat(100)
                  + "\",\"meta\":{\"x\":[null,true,-0.0,1E-400]}}");
      case 14 -> validBatch(random);
      default -> utf8("{\"type\":\"a\",\"id\":\"" + "\\u0001" + "\",\"data\":\"\u0000raw nul\"}");
    };
  }

  private static final String[] HUGE_NUMBERS = {
    "1e999999999",
    "-1e-999999999",
    "9".repeat(2_000),
    "9".repeat(20_000),
    "1" + "0".repeat(400) + ".5",
    "99999999999999999999",
    "9223372036854775808",
    "-1",
    "0",
    "1.5",
    "\"1\"",
    "NaN",
    "Infinity",
    "1e",
    "--1",
    "0x1F",
    "01"
  };

  private static byte[] invalidUtf8(Random random) {
    byte[][] bad = {
      {(byte) 0xFF},
      {(byte) 0xC0, (byte) 0xAF},
      {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
      {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
      {(byte) 0xE2, (byte) 0x82},
      {(byte) 0x80}
    };
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String field = pick(random, new String[] {"type", "id", "data"});
    out.writeBytes(utf8("{\"type\":\"a\",\"" + field + "\":\"x"));
    out.writeBytes(bad[random.nextInt(bad.length)]);
    out.writeBytes(utf8("y\"}"));
    return out.toByteArray();
  }

  private static byte[] validBatch(Random random) {
    StringBuilder batch = new StringBuilder("[");
    int events = 1 + random.nextInt(5);
    for (int i = 0; i < events; i++) {
      if (i > 0) {
        batch.append(',');
      }
      batch
          .append("{\"type\":\"")
          .append(pick(random, new String[] {"a", "b.c", "run.completed", "x:y/z"}))
          .append("\",\"id\":\"id-")
          .append(random.nextInt(20))
          .append("\",\"data\":{\"n\":")
          .append(random.nextInt(3))
          .append("}}");
    }
    return utf8(batch.append(']').toString());
  }

  private static byte[] mutate(Random random, byte[] valid) {
    byte[] copy = valid.clone();
    int edits = 1 + random.nextInt(3);
    for (int i = 0; i < edits && copy.length > 0; i++) {
      copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
    }
    return random.nextBoolean()
        ? copy
        : java.util.Arrays.copyOf(copy, random.nextInt(copy.length + 1));
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static <T> T pick(Random random, T[] options) {
    return options[random.nextInt(options.length)];
  }
}
