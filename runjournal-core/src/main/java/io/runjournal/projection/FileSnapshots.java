package io.runjournal.projection;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runjournal.StorageException;
import io.runjournal.model.Ids;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Projection snapshots of the file store: {@code <data>/runs/<run>/run.json}, written to {@code
 * run.json.tmp}, synced, and renamed over the old one, so a reader (or a crash) sees a whole old or
 * a whole new snapshot. A snapshot is derived data: one that is missing, unreadable or does not
 * match its journal is rebuilt from the events, so the directory is not synced after the rename.
 */
public final class FileSnapshots implements RunProjections.Snapshots {
  private static final Logger log = LoggerFactory.getLogger(FileSnapshots.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The snapshot format tag. */
  public static final String FORMAT = "runjournal.run/v1";

  private final Path runsDir;

  /** Snapshots under {@code dataDir/runs}. */
  public FileSnapshots(Path dataDir) {
    this.runsDir = dataDir.resolve("runs");
  }

  /** The snapshot file of {@code run}. */
  public Path file(String run) {
    return runsDir.resolve(Ids.requireRunId(run)).resolve("run.json");
  }

  @Override
  public Optional<RunProjections.Snapshot> load(String run) {
    Path file = file(run);
    try {
      JsonNode node = JSON.readTree(Files.readAllBytes(file));
      if (!FORMAT.equals(node.path("format").asText())
          || !node.path("journalBytes").canConvertToLong()
          || !run.equals(node.path("projection").path("id").asText())) {
        log.warn("{} is not a snapshot of run {}: it will be rebuilt", file, run);
        return Optional.empty();
      }
      return Optional.of(
          new RunProjections.Snapshot(
              RunProjection.fromJson(node.get("projection")), node.get("journalBytes").asLong()));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | IllegalArgumentException e) {
      log.warn("{} cannot be read ({}): it will be rebuilt", file, e.toString());
      return Optional.empty();
    }
  }

  @Override
  public void save(RunProjections.Snapshot snapshot) {
    Path file = file(snapshot.projection().run());
    if (!Files.isDirectory(file.getParent())) {
      return; // a run without a directory has nothing to project (or was deleted)
    }
    Path tmp = file.resolveSibling("run.json.tmp");
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
      try (JsonGenerator gen = JSON.createGenerator(out)) {
        gen.writeStartObject();
        gen.writeStringField("format", FORMAT);
        gen.writeNumberField("journalBytes", snapshot.journalBytes());
        gen.writeFieldName("projection");
        snapshot.projection().writeJson(gen, true);
        gen.writeEndObject();
      }
      out.write('\n');
      try (FileChannel channel =
          FileChannel.open(
              tmp,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer bytes = ByteBuffer.wrap(out.toByteArray());
        while (bytes.hasRemaining()) {
          channel.write(bytes);
        }
        channel.force(false);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new StorageException(file, "writing", e);
    }
  }
}
