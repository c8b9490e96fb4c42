package io.runjournal.server.http;

import io.javalin.http.Context;
import io.runjournal.model.Ids;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/** Reads and checks query parameters; a bad value is a 400 problem that names the parameter. */
final class Params {
  private Params() {}

  /** The {@code {run}} path parameter, checked against the run id rule before any use. */
  static String run(Context ctx) {
    String run = ctx.pathParam("run");
    Ids.requireRunId(run);
    return run;
  }

  /** The {@code branch} parameter, {@code main} when absent. */
  static String branch(Context ctx) {
    String branch = ctx.queryParam("branch");
    return Ids.requireBranch(branch == null || branch.isEmpty() ? Ids.MAIN_BRANCH : branch);
  }

  /** A non-negative long parameter, or {@code fallback} when absent. */
  static long nonNegativeLong(Context ctx, String name, long fallback) {
    String value = ctx.queryParam(name);
    if (value == null || value.isEmpty()) {
      return fallback;
    }
    return parseNonNegative(name, value);
  }

  /** A long parameter that may be absent (null). */
  static Long optionalNonNegativeLong(Context ctx, String name) {
    String value = ctx.queryParam(name);
    return value == null || value.isEmpty() ? null : parseNonNegative(name, value);
  }

  static long parseNonNegative(String name, String value) {
    try {
      long parsed = Long.parseLong(value.trim());
      if (parsed >= 0) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw Problem.badRequest(name + " must be a non-negative integer, got \"" + clip(value) + "\"");
  }

  /** An int parameter in {@code [1, max]}, or {@code fallback} when absent. */
  static int limit(Context ctx, String name, int fallback, int max) {
    String value = ctx.queryParam(name);
    if (value == null || value.isEmpty()) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value.trim());
      if (parsed >= 1 && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw Problem.badRequest(
        name + " must be an integer from 1 to " + max + ", got \"" + clip(value) + "\"");
  }

  /** The {@code type} parameter: a comma list of event types, empty when absent. */
  static Set<String> types(Context ctx) {
    Set<String> types = new LinkedHashSet<>();
    for (String value : ctx.queryParams("type")) {
      Arrays.stream(value.split(","))
          .map(String::trim)
          .filter(type -> !type.isEmpty())
          .forEach(type -> types.add(Ids.requireType(type)));
    }
    return types;
  }

  /**
   * A boolean parameter: absent = false; {@code true}, {@code 1}, or empty (a bare flag) = true.
   */
  static boolean flag(Context ctx, String name) {
    String value = ctx.queryParam(name);
    if (value == null) {
      return false;
    }
    return switch (value.trim()) {
      case "", "true", "1" -> true;
      case "false", "0" -> false;
      default ->
          throw Problem.badRequest(name + " must be true or false, got \"" + clip(value) + "\"");
    };
  }

  /** One of {@code allowed} (the first is the default). */
  static String oneOf(Context ctx, String name, String... allowed) {
    String value = ctx.queryParam(name);
    if (value == null || value.isEmpty()) {
      return allowed[0];
    }
    for (String option : allowed) {
      if (option.equals(value)) {
        return option;
      }
    }
    throw Problem.badRequest(
        name + " must be one of " + String.join(", ", allowed) + ", got \"" + clip(value) + "\"");
  }

  /** A value safe to echo in a message: at most 64 characters. */
  static String clip(String value) {
    return value.length() <= 64 ? value : value.substring(0, 64) + "…";
  }
}
