package io.runjournal.server;

import static io.runjournal.server.Api.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runjournal.server.http.Route;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /openapi.json} describes exactly the routes the server serves, and each one answers. */
class OpenApiTest {
  private static final Set<String> METHODS =
      Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
  private static final Pattern PATH_PARAMETER = Pattern.compile("\\{([^}/]+)}");

  @TempDir Path data;
  private TestServer server;
  private JsonNode document;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.start(data);
    document = ok(server.get("/openapi.json"), 200);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** Every operation of the document as {@code METHOD path}. */
  private Set<String> documentedOperations() {
    Set<String> operations = new TreeSet<>();
    for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
      path.getValue()
          .fieldNames()
          .forEachRemaining(
              method -> {
                if (METHODS.contains(method)) {
                  operations.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                }
              });
    }
    return operations;
  }

  private JsonNode operation(Route route) {
    return document
        .path("paths")
        .path(route.path())
        .path(route.method().name().toLowerCase(Locale.ROOT));
  }

  @Test
  void document_isOpenApi31() {
    assertThat(document.path("openapi").asText()).matches("3\\.1\\.\\d+");
    assertThat(document.path("info").path("title").asText()).isNotBlank();
    assertThat(document.path("info").path("version").asText()).isNotBlank();
  }

  @Test
  void document_describesExactlyTheServedRoutes() {
    Set<String> served = new TreeSet<>();
    for (Route route : server.server().routes()) {
      served.add(route.method().name() + " " + route.path());
    }

    assertThat(documentedOperations()).isEqualTo(served);
  }

  @Test
  void publicRoutes_areTheOnesDocumentedWithoutSecurity() {
    for (Route route : server.server().routes()) {
      JsonNode security = operation(route).get("security");
      boolean documentedPublic = security != null && security.isArray() && security.isEmpty();
      assertThat(documentedPublic)
          .as(route.method() + " " + route.path() + " needs " + route.scope())
          .isEqualTo(route.scope() == null);
    }
    assertThat(document.path("security")).isNotEmpty();
  }

  @Test
  void pathParameters_areDeclaredAsRequiredPathParameters() {
    for (Route route : server.server().routes()) {
      Matcher matcher = PATH_PARAMETER.matcher(route.path());
      while (matcher.find()) {
        String name = matcher.group(1);
        List<JsonNode> declared = new ArrayList<>();
        document.path("paths").path(route.path()).path("parameters").forEach(declared::add);
        operation(route).path("parameters").forEach(declared::add);
        assertThat(declared)
            .as(route.method() + " " + route.path() + " declares {" + name + "}")
            .anySatisfy(
                parameter -> {
                  JsonNode resolved = resolve(parameter);
                  assertThat(resolved.path("name").asText()).isEqualTo(name);
                  assertThat(resolved.path("in").asText()).isEqualTo("path");
                  assertThat(resolved.path("required").asBoolean()).isTrue();
                });
      }
    }
  }

  @Test
  void everyReference_resolves() {
    List<String> references = new ArrayList<>();
    collectReferences(document, references);

    assertThat(references).isNotEmpty();
    for (String reference : references) {
      assertThat(resolve(document.at(reference.substring(1))).isMissingNode())
          .as(reference)
          .isFalse();
    }
  }

  @Test
  void everyOperation_documentsASuccessResponse() {
    for (Route route : server.server().routes()) {
      List<String> statuses = new ArrayList<>();
      operation(route).path("responses").fieldNames().forEachRemaining(statuses::add);
      assertThat(statuses)
          .as(route.method() + " " + route.path())
          .anyMatch(status -> status.startsWith("2"));
    }
  }

  @Test
  void everyRoute_answersOnTheRunningServer() throws Exception {
    ok(server.post("/v1/runs", "{\"id\":\"oa-run\"}"), 201);
    ok(server.post("/v1/runs/oa-run/events", "{\"type\":\"run.completed\"}"), 201);

    for (Route route : server.server().routes()) {
      String path = route.path().replace("{run}", "oa-run");
      if (path.endsWith("/stream")) {
        path += "?afterSeq=2"; // the run has ended and this is its head: 204, no open stream
      }
      HttpRequest request =
          server
              .request(path)
              .header("Content-Type", "application/json")
              .method(route.method().name(), body(route))
              .build();
      HttpResponse<String> response = server.send(request);

      assertThat(response.statusCode()).as(Api.describe(response)).isLessThan(500);
      boolean noSuchEndpoint =
          response.statusCode() == 404 && response.body().contains("no such endpoint");
      assertThat(noSuchEndpoint).as(Api.describe(response)).isFalse();
      assertThat(operation(route).path("responses").has(Integer.toString(response.statusCode())))
          .as("documented status of " + Api.describe(response))
          .isTrue();
    }
  }

  private static HttpRequest.BodyPublisher body(Route route) {
    if (!route.method().name().equals("POST")) {
      return HttpRequest.BodyPublishers.noBody();
    }
    String json =
        switch (route.path()) {
          case "/v1/runs" -> "{\"id\":\"oa-created\"}";
          case "/v1/runs/{run}/events" -> "{\"type\":\"x\"}";
          case "/v1/auth/login" -> "{\"token\":\"any-token-without-auth\"}";
          default -> "";
        };
    return HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8);
  }

  private JsonNode resolve(JsonNode node) {
    JsonNode ref = node.get("$ref");
    return ref == null ? node : resolve(document.at(ref.asText().substring(1)));
  }

  private static void collectReferences(JsonNode node, List<String> references) {
    if (node.isObject()) {
      JsonNode ref = node.get("$ref");
      if (ref != null) {
        references.add(ref.asText());
      }
      node.elements().forEachRemaining(child -> collectReferences(child, references));
    } else if (node.isArray()) {
      node.elements().forEachRemaining(child -> collectReferences(child, references));
    }
  }
}
