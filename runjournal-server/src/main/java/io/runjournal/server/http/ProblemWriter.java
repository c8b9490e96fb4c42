package io.runjournal.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.runjournal.EventTooLargeException;
import io.runjournal.IdConflictException;
import io.runjournal.InvalidIdentifierException;
import io.runjournal.LockTimeoutException;
import io.runjournal.MalformedEventException;
import io.runjournal.RunEndedException;
import io.runjournal.RunExistsException;
import io.runjournal.RunJournalException;
import io.runjournal.SequenceConflictException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Map;
import org.eclipse.jetty.http.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns whatever a handler threw into an {@code application/problem+json} response. Journal errors
 * map by their {@code code()} slug; Jetty's errors while reading a request (a broken chunked body)
 * by their status; anything unexpected becomes a 500 whose detail names no internals, and is logged
 * with its stack trace, because only a server fault may yield a 5xx.
 */
public final class ProblemWriter {
  private static final Logger log = LoggerFactory.getLogger(ProblemWriter.class);

  /** The problem media type. */
  public static final String PROBLEM_JSON = "application/problem+json";

  private final ObjectMapper json;
  private final String dataDirPrefix;

  /**
   * @param json the mapper for the extra fields
   * @param dataDir the data directory, stripped from file paths in details
   */
  public ProblemWriter(ObjectMapper json, Path dataDir) {
    this.json = json;
    this.dataDirPrefix = dataDir.toAbsolutePath().normalize() + "/";
  }

  /** Renders {@code problem} as the response of {@code ctx}. */
  public void write(Context ctx, Problem problem) {
    ctx.status(problem.status());
    ctx.contentType(PROBLEM_JSON);
    if (problem.status() == 503) {
      ctx.header("Retry-After", "1");
    }
    ctx.result(render(problem));
  }

  /** The problem+json body of {@code problem}. */
  public byte[] render(Problem problem) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator gen = json.createGenerator(out)) {
      gen.writeStartObject();
      gen.writeStringField("type", problem.type());
      gen.writeStringField("title", problem.title());
      gen.writeNumberField("status", problem.status());
      gen.writeStringField("detail", problem.detail());
      for (Map.Entry<String, Object> field : problem.orderedFields().entrySet()) {
        gen.writeFieldName(field.getKey());
        json.writeValue(gen, field.getValue());
      }
      gen.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The problem that describes {@code error}. */
  public Problem toProblem(Throwable error) {
    return switch (error) {
      case Problem problem -> problem;
      case RunJournalException journal -> fromJournal(journal);
      case HttpResponseException http -> fromHttp(http);
      case HttpException http -> fromJetty(http, error);
      case IllegalArgumentException malformed -> fromIllegalArgument(malformed);
      default -> unexpected(error);
    };
  }

  /**
   * Javalin decodes path parameters with {@link java.net.URLDecoder} before any handler runs; an
   * escape Jetty lets through ({@code %u0041}) fails there, and that is the client's error.
   */
  private static Problem fromIllegalArgument(IllegalArgumentException error) {
    if (String.valueOf(error.getMessage()).startsWith("URLDecoder:")) {
      return Problem.badRequest(
          "the request path has a malformed percent escape: expected % and two hex digits");
    }
    return unexpected(error);
  }

  /** Jetty failed to read the request: a 4xx is the client's fault (a broken chunked body). */
  private static Problem fromJetty(HttpException http, Throwable error) {
    if (http.getCode() >= 500) {
      return unexpected(error);
    }
    String reason = http.getReason();
    return fromStatus(http.getCode(), reason == null ? "the request could not be read" : reason);
  }

  private static Problem unexpected(Throwable error) {
    log.error("unexpected error while serving a request", error);
    return Problem.of(
        500,
        "internal-error",
        "Internal server error",
        "the server failed to handle the request; the error is in the server log");
  }

  private Problem fromJournal(RunJournalException error) {
    String detail = withoutDataDir(error.getMessage());
    String code = error.code();
    return switch (error) {
      case SequenceConflictException conflict ->
          Problem.of(409, code, "Sequence conflict", detail)
              .with("expected", conflict.expected())
              .with("actual", conflict.actual());
      case IdConflictException conflict ->
          Problem.of(409, code, "Event id conflict", detail)
              .with("id", conflict.eventId())
              .with("originalBranch", conflict.originalBranch())
              .with("originalSeq", conflict.originalSeq());
      case RunEndedException ended ->
          Problem.of(409, code, "Run ended", detail).with("endedBy", ended.terminalType());
      case RunExistsException exists ->
          Problem.of(409, code, "Run exists", detail)
              .with("run", exists.run())
              .with("line", exists.line());
      case EventTooLargeException large ->
          Problem.of(413, code, "Payload too large", detail)
              .with("size", large.size())
              .with("max", large.max());
      case InvalidIdentifierException invalid ->
          Problem.of(400, code, "Invalid " + invalid.kind(), detail);
      case MalformedEventException malformed ->
          Problem.of(
                  422,
                  code,
                  "Malformed event in the journal",
                  withoutDataDir(malformed.path().toString())
                      + " line "
                      + malformed.line()
                      + ": "
                      + malformed.reason())
              .with("line", malformed.line());
      case LockTimeoutException timeout -> Problem.of(503, code, "Run is locked", detail);
      default -> byCode(code, detail, error);
    };
  }

  private Problem byCode(String code, String detail, RunJournalException error) {
    if (code.equals("storage-error") && databaseUnreachable(error)) {
      log.warn("the database did not answer: {}", detail);
      return Problem.of(503, "unavailable", "Store unavailable", detail);
    }
    return switch (code) {
      case "invalid-event" -> Problem.of(400, code, "Invalid event", detail);
      case "storage-full" -> Problem.of(507, code, "Storage full", detail);
      case "closed" -> Problem.of(503, "unavailable", "Server is shutting down", detail);
      default -> {
        log.error("storage error while serving a request", error);
        yield Problem.of(500, code, "Storage error", detail);
      }
    };
  }

  /**
   * Whether {@code error} comes from a database that cannot be reached (PostgreSQL down, a network
   * cut, no pooled connection in time): SQLSTATE class 08 (connection exception), 57P01–57P03
   * (shutdown, cannot connect now), or a transient connection failure. That is not the server's
   * fault and passes: 503 with {@code Retry-After}, like a store that is not open yet.
   */
  private static boolean databaseUnreachable(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLTransientConnectionException) {
        return true;
      }
      if (cause instanceof SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        if (state.startsWith("08") || state.startsWith("57P")) {
          return true;
        }
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return false;
  }

  private static Problem fromHttp(HttpResponseException http) {
    return http.getStatus() == 404
        ? Problem.notFound("no such endpoint")
        : fromStatus(http.getStatus(), http.getMessage());
  }

  /** The problem of an HTTP-level refusal with {@code status}, described by {@code detail}. */
  static Problem fromStatus(int status, String detail) {
    return switch (status) {
      case 404 -> Problem.notFound(detail);
      case 405 -> Problem.of(405, "method-not-allowed", "Method not allowed", detail);
      case 413 -> Problem.of(413, "payload-too-large", "Payload too large", detail);
      case 414 -> Problem.of(414, "uri-too-long", "URI too long", detail);
      case 431 -> Problem.of(431, "headers-too-large", "Request header fields too large", detail);
      default ->
          Problem.of(
              status,
              status >= 500 ? "internal-error" : "invalid-request",
              status >= 500 ? "Internal server error" : "Invalid request",
              detail);
    };
  }

  private String withoutDataDir(String text) {
    return text == null ? "" : text.replace(dataDirPrefix, "");
  }
}
