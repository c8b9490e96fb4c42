package io.runjournal.server.cli;

import io.runjournal.ReadQuery;
import io.runjournal.SubscribeOptions;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/** The {@code --branch} and {@code --type} options of the reading commands. */
final class EventFilterOptions {
  @Option(
      names = "--branch",
      paramLabel = "BRANCH",
      description = "Branch to read (default: main).")
  private String branch;

  @Option(
      names = "--type",
      paramLabel = "TYPE",
      split = ",",
      description = "Only events of these types (comma-separated or repeated).")
  private Set<String> types;

  /** The branch, or null for {@code main}. */
  String branch() {
    return branch;
  }

  /** The types, sorted; empty for all. */
  List<String> types() {
    return types == null ? List.of() : types.stream().sorted().toList();
  }

  /** {@code query} restricted to the branch and types. */
  ReadQuery applyTo(ReadQuery query) {
    return query.branch(branch).types(types == null ? Set.of() : types);
  }

  /** {@code options} restricted to the branch and types. */
  SubscribeOptions applyTo(SubscribeOptions options) {
    return options.branch(branch).types(types == null ? Set.of() : types);
  }
}
