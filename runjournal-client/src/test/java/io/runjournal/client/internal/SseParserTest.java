package io.runjournal.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {

  /** Everything a parser reported, in order: frames and retry values. */
  private static final class Recorder implements SseParser.Handler {
    final List<Object> seen = new ArrayList<>();

    @Override
    public void onFrame(SseFrame frame) {
      seen.add(frame);
    }

    @Override
    public void onRetry(long millis) {
      seen.add("retry=" + millis);
    }
  }

  private static List<Object> parse(String stream) {
    return parseInChunks(stream.getBytes(StandardCharsets.UTF_8), new int[0]);
  }

  /** Feeds {@code bytes} split at the given positions. */
  private static List<Object> parseInChunks(byte[] bytes, int[] cuts) {
    Recorder recorder = new Recorder();
    SseParser parser = new SseParser(recorder);
    int from = 0;
    for (int cut : cuts) {
      parser.feed(bytes, from, cut - from);
      from = cut;
    }
    parser.feed(bytes, from, bytes.length - from);
    return recorder.seen;
  }

  private static SseFrame message(String data, String id) {
    return new SseFrame("message", data, id);
  }

  @Test
  void lf_crlf_andCr_lineEnds_giveTheSameFrames() {
    String lf = "retry: 1500\nid: 1\ndata: {\"seq\":1}\n\nid: 2\ndata: {\"seq\":2}\n\n";

    List<Object> expected =
        List.of("retry=1500", message("{\"seq\":1}", "1"), message("{\"seq\":2}", "2"));
    assertThat(parse(lf)).isEqualTo(expected);
    assertThat(parse(lf.replace("\n", "\r\n"))).isEqualTo(expected);
    assertThat(parse(lf.replace("\n", "\r"))).isEqualTo(expected);
    assertThat(parse("retry: 1500\r\nid: 1\rdata: {\"seq\":1}\n\r\nid: 2\ndata: {\"seq\":2}\r\r"))
        .isEqualTo(expected);
  }

  @Test
  void multiLineData_isJoinedWithNewlines_andAnEmptyDataLineCounts() {
    assertThat(parse("data: first\ndata:second\ndata\ndata: \n\n"))
        .containsExactly(message("first\nsecond\n\n", ""));
    assertThat(parse("data\n\n")).containsExactly(message("", ""));
  }

  @Test
  void onlyOneSpaceAfterTheColon_isRemoved() {
    assertThat(parse("data:no-space\n\ndata:  two spaces\n\ndata:\tx\n\n"))
        .containsExactly(message("no-space", ""), message(" two spaces", ""), message("\tx", ""));
  }

  @Test
  void comments_unknownFields_andFramesWithoutData_areNotDispatched() {
    String stream =
        ": heartbeat\n\n:\n"
            + "foo: bar\nevent: ignored-without-data\n\n"
            + "event: reset\ndata: {\"lastEventId\":9,\"head\":4}\nbogus\n\n"
            + "data: after\n\n";

    assertThat(parse(stream))
        .containsExactly(
            new SseFrame("reset", "{\"lastEventId\":9,\"head\":4}", ""), message("after", ""));
  }

  @Test
  void lastEventId_carriesOver_andAnIdWithNulIsIgnored() {
    assertThat(parse("id: 7\ndata: a\n\ndata: b\n\nid: 8\u0000\ndata: c\n\nid\ndata: d\n\n"))
        .containsExactly(message("a", "7"), message("b", "7"), message("c", "7"), message("d", ""));
  }

  @Test
  void retry_withAnythingButDigits_isIgnored() {
    assertThat(parse("retry: 10s\nretry: -1\nretry:\nretry: 250\n")).containsExactly("retry=250");
  }

  @Test
  void leadingBom_isSkipped_butOnlyAtTheStart() {
    assertThat(parse("\uFEFFdata: x\n\n\uFEFFdata: y\n\n")).containsExactly(message("x", ""));
  }

  @Test
  void incompleteFrameAtTheEnd_isNotDispatched() {
    assertThat(parse("data: complete\n\ndata: no blank line after it\n"))
        .containsExactly(message("complete", ""));
  }

  @Test
  void everySplitOfTheBytes_givesTheSameFrames() {
    String stream =
        "retry: 3000\r\n: ping\r\nid: 41\r\ndata: {\"type\":\"caf\u00e9 \u20ac \uD83D\uDE80\"}\r\n\r\n"
            + "event: end\r\ndata: {\"id\":\"r\"}\r\n\r\n";
    byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
    List<Object> whole = parseInChunks(bytes, new int[0]);
    assertThat(whole)
        .containsExactly(
            "retry=3000",
            message("{\"type\":\"caf\u00e9 \u20ac \uD83D\uDE80\"}", "41"),
            new SseFrame("end", "{\"id\":\"r\"}", "41"));

    for (int cut = 1; cut < bytes.length; cut++) {
      assertThat(parseInChunks(bytes, new int[] {cut}))
          .as("split at byte %d", cut)
          .isEqualTo(whole);
    }
    int[] everyByte = new int[bytes.length - 1];
    for (int i = 0; i < everyByte.length; i++) {
      everyByte[i] = i + 1;
    }
    assertThat(parseInChunks(bytes, everyByte)).as("one byte at a time").isEqualTo(whole);
  }

  @Test
  void crAtTheEndOfAChunk_followedByLfInTheNext_isOneLineEnd() {
    byte[] bytes = "data: a\r\n\r\ndata: b\r\n\r\n".getBytes(StandardCharsets.UTF_8);

    assertThat(parseInChunks(bytes, new int[] {8, 10, 19}))
        .containsExactly(message("a", ""), message("b", ""));
  }

  @Test
  void aLineLongerThanTheLimit_isRefused() {
    SseParser parser = new SseParser(new Recorder());
    byte[] chunk = new byte[1 << 20];
    java.util.Arrays.fill(chunk, (byte) 'x');

    assertThatThrownBy(
            () -> {
              for (int i = 0; i <= SseParser.MAX_LINE_BYTES / chunk.length; i++) {
                parser.feed(chunk, 0, chunk.length);
              }
            })
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("SSE line longer than");
  }
}
