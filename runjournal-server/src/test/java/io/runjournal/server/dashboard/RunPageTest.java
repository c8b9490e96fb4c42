package io.runjournal.server.dashboard;

import static io.runjournal.server.dashboard.Dashboard.append;
import static io.runjournal.server.dashboard.Dashboard.appendSteps;
import static io.runjournal.server.dashboard.Dashboard.oneTo;
import static io.runjournal.server.dashboard.Dashboard.renderedSeqTexts;
import static io.runjournal.server.dashboard.Dashboard.text;
import static io.runjournal.server.dashboard.Dashboard.timelineFlag;
import static io.runjournal.server.dashboard.Dashboard.timelineNumber;
import static io.runjournal.server.dashboard.Dashboard.timelineSeqs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runjournal.AppendRequest;
import io.runjournal.FsyncPolicy;
import io.runjournal.model.NewEvent;
import io.runjournal.server.Browser;
import io.runjournal.server.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.support.ui.Select;

/**
 * The run page (#/runs/ID) in a real Chromium: its header, and a timeline that reads the history in
 * pages, follows the live tail over EventSource, and holds every event exactly once across a reload
 * and a server restart; virtualised, so a 100,000-event run is a few dozen rows.
 */
class RunPageTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path data;
  @TempDir Path profile;
  private TestServer server;
  private Browser browser;

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private void start() throws Exception {
    browser = Browser.start(profile, 1280, 800);
    server = TestServer.start(data, config -> config.withSseRetry(Duration.ofMillis(200)));
  }

  private void openRun(String run) {
    browser.open(server.url() + "/#/runs/" + run);
    await("the page follows the live tail").atMost(WAIT).until(() -> timelineFlag(browser, "live"));
  }

  private String card(String field) {
    return (String)
        browser.js(
            "const card = document.querySelector('#run-cards [data-field=\"' + arguments[0] + '\"]"
                + " .value'); return card ? card.textContent : null;",
            field);
  }

  @Test
  void runPage_showsEventsArrivingInOrder() throws Exception {
    start();
    String run = "live-1";
    append(
        server,
        run,
        NewEvent.of("run.created"),
        NewEvent.of("run.started"),
        NewEvent.of("participant.seen", "{\"id\":\"planner\"}"));
    openRun(run);
    assertThat(timelineSeqs(browser)).isEqualTo(oneTo(3));

    int total = 3;
    for (int batch = 0; batch < 6; batch++) {
      appendSteps(server, run, 5, total + 1);
      total += 5;
      append(
          server,
          run,
          NewEvent.of("progress.reported", "{\"completed\":" + batch + ",\"total\":6}"));
      total++;
    }
    long expected = total;
    await("every event arrived").atMost(WAIT).until(() -> timelineSeqs(browser).size() >= expected);
    assertThat(timelineSeqs(browser))
        .as("seqs 1..N exactly once, in order")
        .isEqualTo(oneTo(total));
    assertThat(timelineNumber(browser, "duplicates")).isZero();
    assertThat(browser.js("return window.runjournalDashboard.timeline.gaps.length;")).isEqualTo(0L);

    // What the user sees: following the tail, the last rows are on screen, in order.
    await("the newest row is on screen")
        .atMost(WAIT)
        .until(() -> renderedSeqTexts(browser).contains("#" + expected));
    List<String> rendered = renderedSeqTexts(browser);
    for (int i = 1; i < rendered.size(); i++) {
      long previous = Long.parseLong(rendered.get(i - 1).substring(1));
      assertThat(rendered.get(i)).isEqualTo("#" + (previous + 1));
    }
    await("the header caught up")
        .atMost(WAIT)
        .until(() -> String.valueOf(expected).equals(card("events")));
    assertThat(card("status")).isEqualTo("running");
    assertThat(card("progress")).isEqualTo("5 / 6 (83.3 %)");
    assertThat(card("participants")).isEqualTo("planner");
    assertThat(card("last-event")).endsWith(" · progress.reported");
    assertThat(text(browser, "timeline-state")).isEqualTo("live");
    assertThat(browser.driver().findElement(By.id("link-trace")).getAttribute("href"))
        .endsWith("#/runs/live-1/trace");
    assertThat(browser.driver().findElement(By.id("link-compare")).getAttribute("href"))
        .endsWith("#/compare?left=live-1");
    assertThat(browser.driver().findElement(By.id("link-export-jsonl")).getAttribute("href"))
        .endsWith("/v1/runs/live-1/export?format=jsonl");
    assertThat(browser.driver().findElement(By.id("link-export")).getAttribute("download"))
        .isEqualTo("live-1.json");

    append(server, run, NewEvent.of("run.completed"));
    await("the end frame").atMost(WAIT).until(() -> timelineFlag(browser, "ended"));
    assertThat(timelineSeqs(browser)).isEqualTo(oneTo(total + 1));
    await().atMost(WAIT).until(() -> "ended (succeeded)".equals(text(browser, "timeline-state")));
    await().atMost(WAIT).until(() -> "succeeded".equals(card("status")));
    browser.screenshot("run-page");

    browser.driver().manage().window().setSize(new Dimension(400, 800));
    await("the narrow layout fits the window")
        .atMost(WAIT)
        .until(
            () ->
                Boolean.TRUE.equals(
                    browser.js(
                        "return document.documentElement.scrollWidth"
                            + " <= document.documentElement.clientWidth;")));
    browser.screenshot("run-page-400px");
    assertThat(browser.consoleErrors()).as("browser console errors").isEmpty();
  }

  @Test
  void runPage_survivesAReload_andAServerRestart_withNoGapAndNoDuplicate() throws Exception {
    start();
    String run = "restart-1";
    append(server, run, NewEvent.of("run.created"), NewEvent.of("run.started"));
    appendSteps(server, run, 8, 1);
    openRun(run);
    await().atMost(WAIT).until(() -> timelineSeqs(browser).size() == 10);

    browser.driver().navigate().refresh();
    appendSteps(server, run, 10, 9);
    await("after the reload, history and tail")
        .atMost(WAIT)
        .until(() -> timelineSeqs(browser).size() >= 20 && timelineFlag(browser, "live"));
    assertThat(timelineSeqs(browser)).isEqualTo(oneTo(20));
    long opensBefore = timelineNumber(browser, "opens");

    int port = server.server().port();
    server.close();
    await("the page noticed").atMost(WAIT).until(() -> !timelineFlag(browser, "live"));
    server =
        TestServer.startOnPort(data, port, config -> config.withSseRetry(Duration.ofMillis(200)));
    await("the page reconnected to the restarted server")
        .atMost(WAIT)
        .until(() -> timelineNumber(browser, "opens") > opensBefore);
    appendSteps(server, run, 10, 19);
    append(server, run, NewEvent.of("run.completed"));
    long head = server.server().journal().head(run, "main");
    assertThat(head).as("20 + run.recovered + 10 + run.completed").isEqualTo(32);

    await("the end frame").atMost(WAIT).until(() -> timelineFlag(browser, "ended"));
    assertThat(timelineSeqs(browser)).as("seqs 1..N exactly once").isEqualTo(oneTo(head));
    assertThat(timelineNumber(browser, "duplicates")).isZero();
    assertThat(browser.js("return window.runjournalDashboard.timeline.gaps.length;")).isEqualTo(0L);
    assertThat(text(browser, "timeline-warning")).isEmpty();
    // While the server was down the stream failed at the TCP level, or answered 503 while it
    // stopped: what EventSource exists to recover from, and the seqs above prove it did.
    String stream = "/v1/runs/" + run;
    assertThat(
            browser.consoleErrors(
                message ->
                    message.contains(stream)
                        && (message.contains("net::ERR_") || message.contains("503"))))
        .as("browser console errors")
        .isEmpty();
  }

  @Test
  void runPage_onA100kEventRun_rendersOnlyAWindowOfRows() throws Exception {
    browser = Browser.start(profile, 1280, 800);
    server = TestServer.start(data, config -> config.withFsync(FsyncPolicy.NONE));
    String run = "big-1";
    for (int batch = 0; batch < 100; batch++) {
      List<NewEvent> events = new ArrayList<>(1000);
      for (int i = 1; i <= 1000; i++) {
        events.add(NewEvent.of("step", "{\"n\":" + (batch * 1000 + i) + "}"));
      }
      server.server().journal().append(run, AppendRequest.of(events));
    }
    openRun(run);
    assertThat(timelineSeqs(browser).size()).isEqualTo(100_000);
    assertThat(timelineNumber(browser, "historyPages")).isEqualTo(100);

    browser.js("const t = document.getElementById('timeline'); t.scrollTop = t.scrollHeight;");
    await("the last event on screen")
        .atMost(WAIT)
        .until(() -> renderedSeqTexts(browser).contains("#100000"));
    assertThat(renderedSeqTexts(browser).size()).isBetween(10, 199);

    browser.js("document.getElementById('timeline').scrollTop = 50000 * 28;");
    await("the middle on screen")
        .atMost(WAIT)
        .until(() -> renderedSeqTexts(browser).contains("#50001"));
    assertThat(renderedSeqTexts(browser).size()).isBetween(10, 199);
    assertThat((Long) browser.js("return document.getElementsByTagName('*').length;"))
        .as("elements in the whole page")
        .isLessThan(1000);
    assertThat(browser.consoleErrors()).as("browser console errors").isEmpty();
  }

  @Test
  void runPage_expandsAnEventToPrettyJson_andFiltersByType() throws Exception {
    start();
    String run = "mixed-1";
    append(
        server,
        run,
        NewEvent.of("run.created"),
        NewEvent.of("run.started"),
        NewEvent.of("tool.call", "{\"name\":\"grep\",\"args\":{\"pattern\":\"TODO\",\"n\":3}}"),
        NewEvent.of("step", "{\"n\":1}"),
        NewEvent.of("tool.call", "{\"name\":\"sed\",\"args\":{\"pattern\":\"x\"}}"),
        NewEvent.of("step", "{\"n\":2}"),
        NewEvent.of("tool.call", "{\"name\":\"ls\"}"));
    openRun(run);
    await().atMost(WAIT).until(() -> timelineSeqs(browser).size() == 7);

    new Select(browser.driver().findElement(By.id("timeline-type"))).selectByValue("tool.call");
    await("only tool calls")
        .atMost(WAIT)
        .until(() -> renderedSeqTexts(browser).equals(List.of("#3", "#5", "#7")));
    // An event appended while filtered shows when it matches, and not when it does not.
    append(
        server,
        run,
        NewEvent.of("step", "{\"n\":3}"),
        NewEvent.of("tool.call", "{\"name\":\"cat\"}"));
    await()
        .atMost(WAIT)
        .until(() -> renderedSeqTexts(browser).equals(List.of("#3", "#5", "#7", "#9")));

    browser.driver().findElement(By.id("event-3")).click();
    await("the detail panel")
        .atMost(WAIT)
        .until(
            () ->
                text(browser, "event-detail-json") != null
                    && !text(browser, "event-detail-json").isEmpty());
    String pretty = text(browser, "event-detail-json");
    JsonNode stored =
        JSON.readTree(server.get("/v1/runs/" + run + "/events?afterSeq=2&limit=1").body())
            .get("events")
            .get(0);
    assertThat(JSON.readTree(pretty)).isEqualTo(stored);
    assertThat(pretty)
        .contains("\n  \"type\": \"tool.call\",")
        .contains("\n    \"name\": \"grep\",")
        .contains("\n      \"pattern\": \"TODO\",");
    assertThat(text(browser, "event-detail-title")).isEqualTo("Event #3 · tool.call");
    browser.screenshot("run-page-event");

    // Keyboard: End, k, Enter opens the one before the last visible; Escape closes the panel.
    browser.driver().findElement(By.id("timeline")).sendKeys(Keys.END, "k", Keys.ENTER);
    await()
        .atMost(WAIT)
        .until(() -> "Event #7 · tool.call".equals(text(browser, "event-detail-title")));
    browser.driver().findElement(By.id("timeline")).sendKeys(Keys.ESCAPE);
    assertThat(browser.driver().findElement(By.id("event-detail")).isDisplayed()).isFalse();

    new Select(browser.driver().findElement(By.id("timeline-type"))).selectByValue("");
    await("all types again").atMost(WAIT).until(() -> renderedSeqTexts(browser).size() == 9);
    assertThat(browser.consoleErrors()).as("browser console errors").isEmpty();
  }
}
