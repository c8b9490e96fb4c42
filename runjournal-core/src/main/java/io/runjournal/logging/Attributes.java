package io.runjournal.logging;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Attribute maps for records: string, number, boolean or null values by key, in insertion order.
 * Numbers are normalised so that a record parsed back from JSON equals the one written: integers of
 * any Java type become {@link Long}, fractions {@link Double}.
 */
public final class Attributes {
  private Attributes() {}

  /**
   * An attribute map from alternating keys and values: {@code of("tool", "search", "ms", 12)}.
   * Values may be null.
   *
   * @throws IllegalArgumentException if there is an odd number of arguments or a key is not a
   *     string
   */
  public static Map<String, Object> of(Object... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException(
          "attributes need a value for every key, got " + keysAndValues.length + " arguments");
    }
    Map<String, Object> attributes = new LinkedHashMap<>(keysAndValues.length);
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (!(keysAndValues[i] instanceof String key)) {
        throw new IllegalArgumentException(
            "attribute keys must be strings, got " + keysAndValues[i] + " at argument " + i);
      }
      attributes.put(key, normalise(keysAndValues[i + 1]));
    }
    return Collections.unmodifiableMap(attributes);
  }

  /**
   * An unmodifiable, normalised copy: null keys are skipped; values that are not strings, numbers,
   * booleans or null become their {@code toString()}, as do non-finite doubles. Never throws for
   * odd values, because logging must not fail the caller.
   */
  public static Map<String, Object> copyOf(Map<String, ?> attributes) {
    if (attributes == null || attributes.isEmpty()) {
      return Map.of();
    }
    Map<String, Object> copy = new LinkedHashMap<>(attributes.size() * 2);
    for (Map.Entry<String, ?> entry : attributes.entrySet()) {
      if (entry.getKey() != null) {
        copy.put(entry.getKey(), normalise(entry.getValue()));
      }
    }
    return Collections.unmodifiableMap(copy);
  }

  static Object normalise(Object value) {
    return switch (value) {
      case null -> null;
      case String text -> text;
      case Boolean bool -> bool;
      case Long number -> number;
      case Integer number -> number.longValue();
      case Short number -> number.longValue();
      case Byte number -> number.longValue();
      case AtomicInteger number -> number.longValue();
      case AtomicLong number -> number.longValue();
      case BigInteger number ->
          number.bitLength() < 64 ? (Object) number.longValue() : number.toString();
      case Double number -> finite(number);
      case Float number -> finite(number.doubleValue());
      case BigDecimal number -> finite(number.doubleValue());
      case Number number -> finite(number.doubleValue());
      case Character character -> character.toString();
      default -> String.valueOf(value);
    };
  }

  private static Object finite(double number) {
    return Double.isFinite(number) ? (Object) number : Double.toString(number);
  }
}
