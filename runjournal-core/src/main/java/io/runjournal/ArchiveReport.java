package io.runjournal;

import java.nio.file.Path;

/**
 * What archiving one run did.
 *
 * @param run the run
 * @param path the archive, {@code runs/<run>/events.jsonl.gz}
 * @param journalBytes the size of the journal the archive holds (uncompressed)
 * @param archiveBytes the size of the archive (compressed)
 * @param alreadyArchived true if the run was archived before this call, which changed nothing
 */
public record ArchiveReport(
    String run, Path path, long journalBytes, long archiveBytes, boolean alreadyArchived) {}
