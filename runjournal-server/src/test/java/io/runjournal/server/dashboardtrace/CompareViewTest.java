package io.runjournal.server.dashboardtrace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runjournal.AppendRequest;
import io.runjournal.model.NewEvent;
import io.runjournal.server.Browser;
import io.runjournal.server.TestServer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/** The dashboard's compare view ({@code #/compare?left=A&right=B}) in a real headless Chromium. */
class CompareViewTest {
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

  private void append(String run, String... types) {
    List<NewEvent> events = Stream.of(types).map(NewEvent::of).toList();
    server.server().journal().append(run, AppendRequest.of(events));
  }

  private WebElement find(String selector) {
    return browser.driver().findElement(By.cssSelector(selector));
  }

  private boolean loaded() {
    return Boolean.TRUE.equals(browser.js("return window.runjournalDashboard?.compare?.loaded;"));
  }

  /** The text as written (getText() would give the rendered, upper-cased marker). */
  private static String content(WebElement element) {
    return element.getAttribute("textContent");
  }

  @Test
  void compareView_showsTwoRunsSideBySide_andHighlightsTheFirstDivergence() throws Exception {
    append(
        "a", "run.started", "step.plan", "step.fetch", "step.rank", "step.answer", "run.completed");
    append("b", "run.started", "step.plan", "step.fetch", "step.retry", "run.failed");

    browser.open(server.url() + "/#/compare?left=a&right=b");
    await("the comparison").atMost(20, TimeUnit.SECONDS).until(this::loaded);

    // Both runs side by side, each with its summary.
    String left = find(".sides > .side[data-side=left]").getText();
    String right = find(".sides > .side[data-side=right]").getText();
    assertThat(left).startsWith("Left: a").contains("status\nsucceeded").contains("events\n6");
    assertThat(right).startsWith("Right: b").contains("status\nfailed").contains("events\n5");

    // The diff of DESIGN §8, field by field.
    assertThat(find("tr[data-field=status]").getText())
        .contains("succeeded", "failed", "different");
    assertThat(find("tr[data-field=firstDivergence]").getText())
        .contains("step.rank", "step.retry", "at position 4", "different");
    assertThat(find("tr[data-field=countsByType]").getText()).contains("different");
    assertThat(find(".counts tr[data-type='step.retry']").getText())
        .isEqualTo("step.retry 0 1 +1 different");
    assertThat(find(".counts tr[data-type='step.plan']").getText())
        .isEqualTo("step.plan 1 1 ±0 equal");

    // The first divergence: both sides' events around position 4, that one highlighted.
    List<WebElement> highlighted =
        browser.driver().findElements(By.cssSelector(".divergence li.diverges"));
    assertThat(highlighted).hasSize(2);
    assertThat(highlighted).allMatch(item -> "4".equals(item.getAttribute("data-seq")));
    assertThat(content(highlighted.get(0)))
        .isEqualTo("#4step.rank" + ts(highlighted.get(0)) + "first divergence");
    assertThat(content(highlighted.get(1))).contains("step.retry").endsWith("first divergence");
    assertThat(
            browser
                .driver()
                .findElements(By.cssSelector(".divergence [data-side=left] li"))
                .stream()
                .map(item -> item.getAttribute("data-seq"))
                .toList())
        .containsExactly("1", "2", "3", "4", "5", "6");
    browser.screenshot("compare-view");
    browser.js("document.querySelector('.divergence').scrollIntoView();");
    browser.screenshot("compare-view-divergence");

    assertThat(browser.consoleErrors()).as("browser console errors").isEmpty();
  }

  private static String ts(WebElement item) {
    return item.findElement(By.cssSelector(".ts")).getAttribute("textContent");
  }

  @Test
  void compareView_aMissingRun_saysWhichSideIsMissing() throws Exception {
    append("a", "run.started");
    browser.open(server.url() + "/#/compare");
    await().atMost(20, TimeUnit.SECONDS).until(this::loaded);

    // The form: type both ids, Enter submits and puts them in the address.
    find("#compare-left").sendKeys("a");
    find("#compare-right").sendKeys("nope", Keys.ENTER);
    await("the refusal")
        .atMost(20, TimeUnit.SECONDS)
        .until(
            () ->
                loaded() && browser.js("return window.runjournalDashboard.compare.error;") != null);
    assertThat((String) browser.js("return location.hash;"))
        .isEqualTo("#/compare?left=a&right=nope");
    assertThat(find("[role=alert]").getText()).isEqualTo("The right run nope does not exist.");
    assertThat(find("#compare-right").getAttribute("aria-invalid")).isEqualTo("true");
    assertThat(find("#compare-left").getAttribute("aria-invalid")).isNull();

    // The API's 404 is logged by Chromium as a failed request: expected, and nothing else.
    assertThat(
            browser.consoleErrors(
                message -> message.contains("/v1/runs/compare") && message.contains("404")))
        .as("browser console errors")
        .isEmpty();
  }
}
