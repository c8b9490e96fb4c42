package io.runjournal.internal.store;

import io.runjournal.ReadQuery;
import io.runjournal.ReadResult;
import io.runjournal.internal.json.EventCodec;
import io.runjournal.internal.json.MalformedLineException;
import io.runjournal.model.Event;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A tolerant descending read of a run this process holds no state for, done by reading the journal
 * from its end backwards: "the latest event of type X" ({@code type=X, descending, limit 1}) after
 * a restart costs the tail of the file, not a forward scan of the whole run to build its index.
 *
 * <p>It sees what the file holds: a torn tail (bytes after the last newline) is not an event, a
 * line that does not parse is skipped (it is reported when the run's state is built), and so is a
 * line whose seq does not decrease within its branch. The head is the seq of the branch's last
 * event. Strict reads, which report line numbers, go through the run's state instead.
 */
final class BackwardReader {
  private static final int CHUNK = 64 * 1024;

  private BackwardReader() {}

  static ReadResult read(Path journal, String run, ReadQuery query) throws IOException {
    List<Event> result = new ArrayList<>(Math.min(query.limit(), 256));
    long head = 0;
    long previous = Long.MAX_VALUE; // the last seq of the branch seen (going backwards)
    boolean more = false;
    try (FileChannel channel = Archives.openForRead(journal)) {
      long position = channel.size();
      byte[] carry = new byte[0]; // the start of a line whose beginning lies before `position`
      boolean tail = true; // the bytes after the last newline are a torn tail, not an event
      scan:
      while (position > 0 || carry.length > 0) {
        int size = (int) Math.min(CHUNK, position);
        byte[] buffer = new byte[size + carry.length];
        ByteBuffer target = ByteBuffer.wrap(buffer, 0, size);
        long from = position - size;
        while (target.hasRemaining()) {
          if (channel.read(target, from + target.position()) < 0) {
            throw new IOException("the journal shrank while it was read backwards");
          }
        }
        System.arraycopy(carry, 0, buffer, size, carry.length);
        position = from;
        int end = buffer.length;
        for (int i = buffer.length - 1; i >= -1; i--) {
          if (i >= 0 && buffer[i] != '\n') {
            continue;
          }
          if (i < 0 && position > 0) {
            break; // the line starts in the previous chunk
          }
          int start = i + 1;
          if (tail) {
            tail = false; // [start, end) after the last newline: torn or empty
          } else if (end - 1 > start) {
            Event event = parse(buffer, start, end - 1 - start, run);
            if (event != null && event.branch().equals(query.branch())) {
              if (event.seq() >= previous) {
                event = null; // out of sequence: a line pasted by hand
              } else {
                previous = event.seq();
                head = Math.max(head, event.seq());
                if (event.seq() <= query.afterSeq()) {
                  break scan;
                }
              }
              if (event != null
                  && event.seq() < query.beforeSeq()
                  && query.acceptsType(event.type())) {
                result.add(event);
                if (result.size() == query.limit()) {
                  more = event.seq() > query.afterSeq() + 1; // a full page (see RunReader)
                  break scan;
                }
              }
            }
          }
          end = start;
        }
        carry = Arrays.copyOfRange(buffer, 0, end);
        if (position == 0) {
          carry = new byte[0];
        }
      }
    } catch (NoSuchFileException e) {
      // a run with no journal reads as empty
    }
    Long next = more ? result.getLast().seq() : null;
    return new ReadResult(run, query.branch(), result, head, next);
  }

  private static Event parse(byte[] buffer, int offset, int length, String run) {
    try {
      return EventCodec.parseLine(buffer, offset, length, run);
    } catch (MalformedLineException e) {
      return null;
    }
  }
}
