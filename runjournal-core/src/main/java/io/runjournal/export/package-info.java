/**
 * Export bundles and imports (DESIGN §8): {@link io.runjournal.export.RunExport} writes a run as a
 * {@value io.runjournal.export.RunExport#FORMAT} bundle, {@link io.runjournal.export.RunImport}
 * reads a bundle or a raw journal back into the events that {@link
 * io.runjournal.Journal#importEvents} writes byte for byte.
 */
package io.runjournal.export;
