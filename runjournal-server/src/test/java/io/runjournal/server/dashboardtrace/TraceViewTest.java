package io.runjournal.server.dashboardtrace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runjournal.logging.Attributes;
import io.runjournal.logging.Logger;
import io.runjournal.logging.Logging;
import io.runjournal.logging.Sinks;
import io.runjournal.logging.Span;
import io.runjournal.server.Browser;
import io.runjournal.server.TestServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The dashboard's trace view ({@code #/runs/ID/trace}) in a real headless Chromium, on a run whose
 * records were written through the Logging API: nested spans, an unfinished span, an error span,
 * logs inside spans and outside any span.
 */
class TraceViewTest {
  private static final String RUN = "trace-view-1";

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

  /**
   * A clock the test moves by hand, so the spans' durations are known. It starts a second in the
   * past: an unfinished span is measured against the run's last event, whose {@code ts} is the
   * journal's (real) clock.
   */
  private static final class ManualClock extends Clock {
    private Instant now = Instant.now().minusSeconds(1).truncatedTo(ChronoUnit.MILLIS);

    void advance(long millis) {
      now = now.plusMillis(millis);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  /**
   * agent.run (root, 205 ms) → plan (55 ms) → http.get (30 ms, error) and agent.run → tool.call
   * (never closed); a log in plan, one in tool.call, two outside any span.
   */
  private void writeAgentRun() {
    ManualClock clock = new ManualClock();
    try (Logging logging =
        Logging.builder().clock(clock).sink(Sinks.run(server.server().journal(), RUN)).build()) {
      Logger log = logging.logger("agent");
      log.info("starting", Attributes.of("attempt", 1));
      Span root = log.span("agent.run", Attributes.of("model", "m1"));
      clock.advance(10);
      Span plan = root.child("plan");
      plan.logger().info("planning 3 steps", Attributes.of("steps", 3));
      clock.advance(20);
      Span fetch = plan.logger().span("http.get");
      clock.advance(30);
      fetch.fail("503 from upstream");
      fetch.close();
      clock.advance(5);
      plan.close();
      Span tool = root.child("tool.call");
      tool.logger().warn("still waiting for the tool", Attributes.of("tool", "search"));
      clock.advance(140);
      root.close();
      clock.advance(10);
      log.info("heartbeat");
      // tool is never closed: its process was "killed" inside it.
    }
  }

  private String text(String selector) {
    return browser.driver().findElement(By.cssSelector(selector)).getText();
  }

  private WebElement row(String name) {
    for (WebElement row : browser.driver().findElements(By.cssSelector(".span-row"))) {
      if (row.findElement(By.cssSelector(".span-name")).getText().equals(name)) {
        return row;
      }
    }
    throw new AssertionError("no row for span " + name);
  }

  private List<String> visibleRowNames() {
    return browser.driver().findElements(By.cssSelector(".span-row")).stream()
        .filter(WebElement::isDisplayed)
        .map(row -> row.findElement(By.cssSelector(".span-name")).getText())
        .toList();
  }

  @Test
  void traceView_showsNestedAndUnfinishedSpans_withLogsOnTheirSpans() throws Exception {
    writeAgentRun();
    browser.open(server.url() + "/#/runs/" + RUN + "/trace");
    await("the trace view loaded")
        .atMost(20, TimeUnit.SECONDS)
        .until(() -> !browser.driver().findElements(By.cssSelector(".span-row")).isEmpty());

    // Rows in tree order, each with its depth.
    List<String> rows =
        browser.driver().findElements(By.cssSelector(".span-row")).stream()
            .map(
                row ->
                    row.getAttribute("data-depth")
                        + " "
                        + row.findElement(By.cssSelector(".span-name")).getText())
            .toList();
    assertThat(rows).containsExactly("0 agent.run", "1 plan", "2 http.get", "1 tool.call");
    assertThat(text("#trace-summary"))
        .startsWith("4 spans · 1 unfinished · 4 logs (2 outside any span)");

    // Durations, the unfinished span said in words, the error span with its error.
    assertThat(row("agent.run").findElement(By.cssSelector(".col-duration")).getText())
        .isEqualTo("205 ms");
    assertThat(row("plan").findElement(By.cssSelector(".col-duration")).getText())
        .isEqualTo("55 ms");
    WebElement tool = row("tool.call");
    assertThat(tool.findElement(By.cssSelector(".col-status")).getText()).isEqualTo("unfinished");
    assertThat(tool.findElement(By.cssSelector(".col-duration")).getText())
        .matches("≥ [0-9.]+ m?s \\(so far\\)");
    assertThat(tool.findElements(By.cssSelector(".bar.bar-unfinished"))).hasSize(1);
    assertThat(row("http.get").findElement(By.cssSelector(".col-status")).getText())
        .isEqualTo("error: 503 from upstream");
    assertThat(row("agent.run").findElement(By.cssSelector(".col-status")).getText())
        .isEqualTo("ok");

    // Logs on their spans: a count on the row; opening the span lists them.
    assertThat(row("plan").findElement(By.cssSelector(".col-logs")).getText()).isEqualTo("1 log");
    assertThat(row("agent.run").findElement(By.cssSelector(".col-logs")).getText()).isEmpty();
    WebElement toolDetails = tool.findElement(By.cssSelector(".span-details"));
    assertThat(toolDetails.isDisplayed()).isFalse();
    tool.findElement(By.cssSelector(".span-toggle")).sendKeys(Keys.ENTER);
    await().atMost(5, TimeUnit.SECONDS).until(toolDetails::isDisplayed);
    assertThat(toolDetails.findElement(By.cssSelector(".log-list")).getText())
        .contains("WARN")
        .contains("still waiting for the tool")
        .contains("tool=search");
    assertThat(toolDetails.getText()).contains("unfinished (never closed)");

    // Logs outside any span are listed below the waterfall.
    assertThat(text(".unattached"))
        .contains("Logs outside any span (2)")
        .contains("starting")
        .contains("attempt=1")
        .contains("heartbeat");

    // Links back to the run and to the OTLP form.
    assertThat(browser.driver().findElement(By.linkText("← Run " + RUN)).getAttribute("href"))
        .endsWith("#/runs/" + RUN);
    assertThat(browser.driver().findElement(By.linkText("OTLP JSON")).getAttribute("href"))
        .endsWith("/v1/runs/" + RUN + "/trace?format=otlp");
    browser.screenshot("trace-view");

    // Keyboard: ↓ moves to the next row, ← on a parent folds its subtree, → unfolds it.
    WebElement rootToggle = row("agent.run").findElement(By.cssSelector(".span-toggle"));
    rootToggle.sendKeys(Keys.ARROW_DOWN);
    assertThat(browser.js("return document.activeElement.querySelector('.span-name').textContent;"))
        .isEqualTo("plan");
    browser.driver().switchTo().activeElement().sendKeys(Keys.ARROW_LEFT);
    await().atMost(5, TimeUnit.SECONDS).until(() -> !visibleRowNames().contains("http.get"));
    assertThat(visibleRowNames()).containsExactly("agent.run", "plan", "tool.call");
    browser.driver().switchTo().activeElement().sendKeys(Keys.ARROW_RIGHT);
    await().atMost(5, TimeUnit.SECONDS).until(() -> visibleRowNames().contains("http.get"));
    row("agent.run").findElement(By.cssSelector(".fold")).click();
    assertThat(visibleRowNames()).containsExactly("agent.run");
    row("agent.run").findElement(By.cssSelector(".fold")).click();
    assertThat(visibleRowNames()).containsExactly("agent.run", "plan", "http.get", "tool.call");

    // A narrow window: still one row per span, the unfinished mark still in words.
    browser.driver().manage().window().setSize(new Dimension(400, 800));
    await()
        .atMost(5, TimeUnit.SECONDS)
        .until(() -> ((Number) browser.js("return window.innerWidth;")).longValue() <= 400);
    assertThat(row("tool.call").findElement(By.cssSelector(".col-status")).getText())
        .isEqualTo("unfinished");
    assertThat(((Number) browser.js("return document.documentElement.scrollWidth;")).longValue())
        .as("no horizontal scrolling at 400 px")
        .isLessThanOrEqualTo(400);
    browser.screenshot("trace-view-400px");

    assertThat(browser.consoleErrors()).as("browser console errors").isEmpty();
  }

  @Test
  void traceView_ofAMissingRun_saysSo() throws Exception {
    browser.open(server.url() + "/#/runs/nope/trace");
    await()
        .atMost(20, TimeUnit.SECONDS)
        .until(
            () ->
                Boolean.TRUE.equals(
                    browser.js("return window.runjournalDashboard?.trace?.loaded;")));
    assertThat(text("[role=alert]")).isEqualTo("There is no run nope.");
    // The 404 of the API request itself is logged by Chromium; nothing else may be.
    assertThat(
            browser.consoleErrors(
                message -> message.contains("/v1/runs/nope/trace") && message.contains("404")))
        .isEmpty();
  }
}
