package io.runjournal.server.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The server's tokens, read from a token file: one token per line as {@code name scope secret},
 * blank lines and {@code #} comments ignored. The secret is either the token itself (at least 16
 * characters) or {@code sha256:<hex>}, its SHA-256, so that the file need not hold the token.
 *
 * <p>Only SHA-256 digests are kept in memory. {@link #authenticate} hashes the presented token and
 * compares it with every entry in constant time, without stopping at a match, so timing reveals
 * neither the token nor which entry matched. Immutable and thread-safe.
 */
public final class TokenFile {
  /** The shortest plain token accepted. */
  public static final int MIN_TOKEN_LENGTH = 16;

  private record Entry(String name, Scope scope, byte[] digest) {}

  private final List<Entry> entries;

  private TokenFile(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /**
   * Reads {@code file}.
   *
   * @throws IOException if it cannot be read
   * @throws IllegalArgumentException naming the 1-based line of the first bad entry (never quoting
   *     a secret), or when the file has no token
   */
  public static TokenFile read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<Entry> entries = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String where = file + ":" + (i + 1) + ": ";
      String[] parts = line.split("\\s+");
      if (parts.length != 3) {
        throw new IllegalArgumentException(
            where + "expected \"name scope secret\" (3 fields), found " + parts.length);
      }
      if (!names.add(parts[0])) {
        throw new IllegalArgumentException(where + "token name \"" + parts[0] + "\" is repeated");
      }
      Scope scope;
      try {
        scope = Scope.parse(parts[1]);
      } catch (IllegalArgumentException e) {
        // Not quoted, nor chained: with the columns swapped, the second field is the secret.
        throw new IllegalArgumentException(
            where + "the second field is not a scope (expected read, append or admin)");
      }
      entries.add(new Entry(parts[0], scope, digestOf(parts[2], where)));
    }
    if (entries.isEmpty()) {
      throw new IllegalArgumentException(file + " has no tokens");
    }
    return new TokenFile(entries);
  }

  private static byte[] digestOf(String secret, String where) {
    if (secret.startsWith("sha256:")) {
      String hex = secret.substring("sha256:".length());
      if (hex.length() != 64) {
        throw new IllegalArgumentException(where + "a sha256: secret has 64 hex digits");
      }
      try {
        return HexFormat.of().parseHex(hex);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + "a sha256: secret has 64 hex digits", e);
      }
    }
    if (secret.length() < MIN_TOKEN_LENGTH) {
      throw new IllegalArgumentException(
          where + "a token has at least " + MIN_TOKEN_LENGTH + " characters");
    }
    return sha256(secret);
  }

  /** The principal whose token is {@code presented}, compared in constant time. */
  public Optional<Principal> authenticate(String presented) {
    if (presented == null || presented.isEmpty()) {
      return Optional.empty();
    }
    byte[] digest = sha256(presented);
    Entry match = null;
    for (Entry entry : entries) {
      if (MessageDigest.isEqual(entry.digest(), digest) && match == null) {
        match = entry;
      }
    }
    return match == null ? Optional.empty() : Optional.of(new Principal(match.name, match.scope));
  }

  /** The number of tokens. */
  public int size() {
    return entries.size();
  }

  /** The SHA-256 of {@code token}'s UTF-8 bytes, as a token file's {@code sha256:} secret. */
  public static String sha256Secret(String token) {
    return "sha256:" + HexFormat.of().formatHex(sha256(token));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  @Override
  public String toString() {
    return "TokenFile[" + entries.size() + " tokens]";
  }
}
