package io.runjournal.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard is served from the jar at {@code /}, and fetches nothing from elsewhere. */
class DashboardAssetsTest {
  static final Path ASSETS = Path.of("src", "main", "resources", "public");

  @TempDir Path data;
  TestServer server;

  @BeforeEach
  void start() throws IOException {
    server = TestServer.start(data);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void root_servesTheDashboardPage() throws Exception {
    HttpResponse<String> page = server.get("/");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    assertThat(page.body()).contains("<title>RunJournal</title>").contains("/dash/app.js");
  }

  @Test
  void everyScriptAndStylesheet_isServedWithItsType() throws Exception {
    List<Path> assets;
    try (Stream<Path> files = Files.walk(ASSETS.resolve("dash"))) {
      assets = files.filter(Files::isRegularFile).toList();
    }
    assertThat(assets).isNotEmpty();
    for (Path asset : assets) {
      String path = "/" + ASSETS.relativize(asset).toString().replace('\\', '/');
      HttpResponse<String> response = server.get(path);
      assertThat(response.statusCode()).as(path).isEqualTo(200);
      String type = response.headers().firstValue("Content-Type").orElse("");
      if (path.endsWith(".js")) {
        assertThat(type).as(path).contains("javascript");
      } else if (path.endsWith(".css")) {
        assertThat(type).as(path).startsWith("text/css");
      }
    }
  }

  @Test
  void noAssetReferencesAnotherOrigin() throws Exception {
    Pattern remote = Pattern.compile("(?i)(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}[/\"']");
    try (Stream<Path> files = Files.walk(ASSETS)) {
      for (Path asset : files.filter(Files::isRegularFile).toList()) {
        String text = Files.readString(asset);
        assertThat(remote.matcher(text).results().map(match -> match.group()).toList())
            .as("references to other origins in %s (no CDN, no web fonts)", asset)
            .isEmpty();
      }
    }
  }
}
