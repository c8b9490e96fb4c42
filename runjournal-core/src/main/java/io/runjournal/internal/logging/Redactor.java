package io.runjournal.internal.logging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runjournal.logging.LogRecord;
import io.runjournal.logging.SpanOpen;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Masks the values of configured attribute keys before a record reaches any sink: in the record's
 * attributes and anywhere inside a span's JSON body. Keys compare ignoring case, {@code _} and
 * {@code -}, so {@code apiKey}, {@code api_key} and {@code API-KEY} are one key. Thread-safe.
 */
public final class Redactor {
  /** What a redacted value becomes. */
  public static final String MASK = "[REDACTED]";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_CACHED_KEYS = 4096;

  private final Set<String> normalisedKeys;
  // Attribute keys repeat from record to record: remember each key's verdict.
  private final Map<String, Boolean> verdicts = new ConcurrentHashMap<>();

  /** Masks {@code keys}; an empty collection masks nothing. */
  public Redactor(Collection<String> keys) {
    this.normalisedKeys =
        keys.stream().map(Redactor::normalise).collect(Collectors.toUnmodifiableSet());
  }

  /** Whether the value under {@code key} is masked. */
  public boolean isRedacted(String key) {
    if (normalisedKeys.isEmpty()) {
      return false;
    }
    Boolean verdict = verdicts.get(key);
    if (verdict == null) {
      verdict = normalisedKeys.contains(normalise(key));
      if (verdicts.size() < MAX_CACHED_KEYS) {
        verdicts.put(key, verdict);
      }
    }
    return verdict;
  }

  /** The record with redacted values masked; the record itself when nothing matches. */
  public LogRecord apply(LogRecord record) {
    LogRecord result = record;
    Map<String, Object> attributes = record.attributes();
    for (String key : attributes.keySet()) {
      if (isRedacted(key)) {
        result = record.withAttributes(masked(attributes));
        break;
      }
    }
    if (result instanceof SpanOpen open && open.body() != null && !normalisedKeys.isEmpty()) {
      String body = maskedBody(open.body());
      if (body != null) {
        result = open.withBody(body);
      }
    }
    return result;
  }

  private Map<String, Object> masked(Map<String, Object> attributes) {
    Map<String, Object> copy = new LinkedHashMap<>(attributes.size() * 2);
    attributes.forEach((key, value) -> copy.put(key, isRedacted(key) ? MASK : value));
    return copy;
  }

  /** The body with redacted keys masked, or null when it holds none. */
  private String maskedBody(String body) {
    try {
      JsonNode tree = JSON.readTree(body);
      return mask(tree) ? JSON.writeValueAsString(tree) : null;
    } catch (java.io.IOException e) {
      // Bodies are validated JSON when a record is built; an unreadable one is dropped entirely.
      return "\"" + MASK + "\"";
    }
  }

  private boolean mask(JsonNode node) {
    boolean changed = false;
    if (node instanceof ObjectNode object) {
      for (Map.Entry<String, JsonNode> field : object.properties()) {
        if (isRedacted(field.getKey())) {
          field.setValue(object.textNode(MASK));
          changed = true;
        } else {
          changed |= mask(field.getValue());
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (JsonNode element : array) {
        changed |= mask(element);
      }
    }
    return changed;
  }

  private static String normalise(String key) {
    StringBuilder out = new StringBuilder(key.length());
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c != '_' && c != '-') {
        out.append(c);
      }
    }
    return out.toString().toLowerCase(Locale.ROOT);
  }
}
