package io.runjournal.internal.store;

import io.runjournal.VerifyReport;
import io.runjournal.internal.json.EventCodec;
import io.runjournal.internal.json.MalformedLineException;
import io.runjournal.model.Event;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The strict check of a whole journal file, or of its archive (whose report names the archive and
 * the lines of the journal it holds), without locks: it only reads.
 */
final class Verifier {
  private Verifier() {}

  static VerifyReport verify(String run, Path journal) throws IOException {
    List<VerifyReport.Problem> problems = new ArrayList<>();
    Map<String, Long> heads = new HashMap<>();
    long[] events = {0};
    try (FileChannel channel = Archives.openForRead(journal)) {
      Path path = channel instanceof ArchiveChannel ? Archives.of(journal) : journal;
      long size = channel.size();
      LineScanner.Position end =
          LineScanner.scan(
              channel,
              0,
              size,
              1,
              (buffer, offset, length, fileOffset, lineNo) -> {
                try {
                  Event event = EventCodec.parseAnyLine(buffer, offset, length, run);
                  long expected = heads.getOrDefault(event.branch(), 0L) + 1;
                  if (event.seq() != expected) {
                    problems.add(
                        new VerifyReport.Problem(
                            lineNo, RunState.outOfSequence(event.seq(), expected, event.branch())));
                  } else {
                    heads.put(event.branch(), event.seq());
                    events[0]++;
                  }
                } catch (MalformedLineException e) {
                  problems.add(new VerifyReport.Problem(lineNo, e.getMessage()));
                }
                return true;
              });
      return new VerifyReport(path, end.lineNo() - 1, events[0], problems, size - end.offset());
    } catch (NoSuchFileException e) {
      return new VerifyReport(journal, 0, 0, List.of(), 0);
    }
  }
}
