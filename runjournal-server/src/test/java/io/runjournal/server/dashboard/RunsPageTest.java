package io.runjournal.server.dashboard;

import static io.runjournal.server.dashboard.Dashboard.append;
import static io.runjournal.server.dashboard.Dashboard.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runjournal.model.NewEvent;
import io.runjournal.server.Browser;
import io.runjournal.server.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.support.ui.Select;

/** The runs page (#/runs) in a real Chromium: a live list, its filters, paging and keys. */
class RunsPageTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path data;
  @TempDir Path profile;
  private TestServer server;
  private Browser browser;

  @BeforeEach
  void start() throws Exception {
    browser = Browser.start(profile, 1280, 800);
    server = TestServer.start(data);
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @SuppressWarnings("unchecked")
  private List<String> rowIds() {
    return (List<String>)
        browser.js(
            "return Array.from(document.querySelectorAll('#runs-rows tr')).map(r => r.dataset.run);");
  }

  private String cellText(String run, int column) {
    return (String)
        browser.js(
            "const row = document.querySelector('#runs-rows tr[data-run=\"' + arguments[0] + '\"]');"
                + " return row ? row.cells[arguments[1]].textContent : null;",
            run,
            column);
  }

  private String hash() {
    return (String) browser.js("return location.hash;");
  }

  @Test
  void runsPage_showsRunsAsTheyAreCreated() throws Exception {
    browser.open(server.url() + "/#/runs");
    await("the empty state")
        .atMost(WAIT)
        .until(() -> String.valueOf(text(browser, "runs-empty")).startsWith("No runs yet"));

    append(server, "alpha-1", NewEvent.of("run.created"), NewEvent.of("run.started"));
    append(
        server,
        "alpha-2",
        NewEvent.of("run.created"),
        NewEvent.of("run.started"),
        NewEvent.of("participant.seen", "{\"id\":\"planner\"}"),
        NewEvent.of("progress.reported", "{\"completed\":3,\"total\":4}"),
        NewEvent.of("run.completed"));
    append(server, "beta-1", NewEvent.of("run.created"));
    await("the new runs appear without a reload")
        .atMost(WAIT)
        .until(() -> rowIds().containsAll(List.of("alpha-1", "alpha-2", "beta-1")));
    assertThat(cellText("alpha-1", 1)).isEqualTo("running");
    assertThat(cellText("alpha-2", 1)).isEqualTo("succeeded");
    assertThat(cellText("alpha-2", 2)).isEqualTo("3 / 4 (75 %)");
    assertThat(cellText("alpha-2", 4)).isEqualTo("planner");
    assertThat(cellText("alpha-2", 5)).isEqualTo("5");
    assertThat(cellText("alpha-2", 6)).endsWith(" run.completed");
    assertThat(cellText("beta-1", 1)).isEqualTo("pending");
    await("the last event's type of a run that has not ended")
        .atMost(WAIT)
        .until(() -> cellText("alpha-1", 6).endsWith(" run.started"));

    // A run that changes while the page is open changes in place.
    append(server, "alpha-1", NewEvent.of("run.failed", "{\"error\":\"boom\"}"));
    await().atMost(WAIT).until(() -> "failed".equals(cellText("alpha-1", 1)));
    browser.screenshot("runs-page");

    new Select(browser.driver().findElement(By.id("runs-status"))).selectByValue("succeeded");
    await("the status filter").atMost(WAIT).until(() -> rowIds().equals(List.of("alpha-2")));
    assertThat(hash()).isEqualTo("#/runs?status=succeeded");

    new Select(browser.driver().findElement(By.id("runs-status"))).selectByValue("");
    browser.driver().findElement(By.id("runs-prefix")).sendKeys("beta");
    await("the prefix filter").atMost(WAIT).until(() -> rowIds().equals(List.of("beta-1")));
    assertThat(hash()).isEqualTo("#/runs?prefix=beta");
    browser.driver().findElement(By.id("runs-prefix")).sendKeys("-9");
    await("nothing matches")
        .atMost(WAIT)
        .until(() -> "No runs match these filters.".equals(text(browser, "runs-empty")));

    assertThat(browser.consoleErrors()).as("browser console errors").isEmpty();
  }

  @Test
  void runsPage_pagesThroughManyRuns_andOpensOneWithTheKeyboard() throws Exception {
    for (int i = 0; i < 120; i++) {
      append(server, String.format("page-%03d", i), NewEvent.of("run.created"));
    }
    browser.open(server.url() + "/#/runs?prefix=page-&order=id");
    List<String> first =
        IntStream.range(0, 50).mapToObj(i -> String.format("page-%03d", i)).toList();
    List<String> second =
        IntStream.range(50, 100).mapToObj(i -> String.format("page-%03d", i)).toList();
    List<String> third =
        IntStream.range(100, 120).mapToObj(i -> String.format("page-%03d", i)).toList();
    await("page 1").atMost(WAIT).until(() -> rowIds().equals(first));
    assertThat(browser.driver().findElement(By.id("runs-previous")).isEnabled()).isFalse();

    browser.driver().findElement(By.id("runs-next")).click();
    await("page 2").atMost(WAIT).until(() -> rowIds().equals(second));
    browser.driver().findElement(By.id("runs-next")).click();
    await("page 3").atMost(WAIT).until(() -> rowIds().equals(third));
    assertThat(text(browser, "runs-page")).isEqualTo("Page 3");
    assertThat(browser.driver().findElement(By.id("runs-next")).isEnabled()).isFalse();
    browser.driver().findElement(By.id("runs-previous")).click();
    await("back to page 2").atMost(WAIT).until(() -> rowIds().equals(second));

    // Paging focuses the first row; j, j, k moves to the second; Enter opens it.
    await()
        .atMost(WAIT)
        .until(() -> "page-050".equals(browser.js("return document.activeElement.dataset.run;")));
    browser.driver().switchTo().activeElement().sendKeys("j", "j", "k");
    assertThat(browser.js("return document.activeElement.dataset.run;")).isEqualTo("page-051");
    browser.driver().switchTo().activeElement().sendKeys(Keys.ENTER);
    await("the run page").atMost(WAIT).until(() -> "#/runs/page-051".equals(hash()));
    await().atMost(WAIT).until(() -> text(browser, "run-cards") != null);

    assertThat(browser.consoleErrors()).as("browser console errors").isEmpty();
  }
}
