package io.runjournal;

import java.nio.file.Path;

/**
 * What a repair of one run's journal did.
 *
 * @param path the journal file
 * @param tornBytes bytes of a torn tail moved to {@code events.jsonl.torn} (0 = nothing to do)
 */
public record RepairReport(Path path, long tornBytes) {}
