package io.runjournal.postgres;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;

/**
 * A PostgreSQL URL as users write it ({@code postgresql://user:password@host:port/database?params},
 * libpq's form, also {@code postgres://}) or a {@code jdbc:postgresql:} URL, taken apart into what
 * pgjdbc and HikariCP need. The password is kept apart from the JDBC URL and never appears in
 * {@link #toString()} or in error messages. Immutable.
 *
 * @param jdbcUrl the JDBC URL without user and password
 * @param user the user, or null to leave it to the driver (a {@code user} parameter, or none)
 * @param password the password, or null
 * @param host the host (or hosts, comma-separated) for messages
 * @param port the port for messages
 * @param database the database name
 */
record PgUrl(String jdbcUrl, String user, String password, String host, int port, String database) {
  private static final int DEFAULT_PORT = 5432;

  /** libpq parameter names that pgjdbc spells differently. */
  private static final Map<String, String> LIBPQ_NAMES =
      Map.of(
          "application_name", "ApplicationName",
          "connect_timeout", "connectTimeout",
          "target_session_attrs", "targetServerType");

  /**
   * Parses {@code url}.
   *
   * @throws IllegalArgumentException naming the URL (password masked) if it is not a PostgreSQL URL
   *     with a host and a database
   */
  static PgUrl parse(String url) {
    if (url == null) {
      throw new IllegalArgumentException("the PostgreSQL URL is missing");
    }
    if (url.startsWith("jdbc:postgresql:")) {
      return parseJdbc(url);
    }
    String rest;
    if (url.startsWith("postgresql://")) {
      rest = url.substring("postgresql://".length());
    } else if (url.startsWith("postgres://")) {
      rest = url.substring("postgres://".length());
    } else {
      throw bad(url, "it must start with postgresql://, postgres:// or jdbc:postgresql:");
    }
    String query = null;
    int question = rest.indexOf('?');
    if (question >= 0) {
      query = rest.substring(question + 1);
      rest = rest.substring(0, question);
    }
    int slash = rest.indexOf('/');
    String authority = slash < 0 ? rest : rest.substring(0, slash);
    String database = slash < 0 ? "" : decode(url, rest.substring(slash + 1), "database");
    String user = null;
    String password = null;
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      String userInfo = authority.substring(0, at);
      authority = authority.substring(at + 1);
      int colon = userInfo.indexOf(':');
      user = decode(url, colon < 0 ? userInfo : userInfo.substring(0, colon), "user");
      password = colon < 0 ? null : decode(url, userInfo.substring(colon + 1), "password");
      if (user.isEmpty()) {
        user = null;
      }
    }
    HostPort hostPort = hostPort(url, authority);
    if (database.isEmpty() || database.contains("/")) {
      throw bad(url, "it names no database (postgresql://host:port/DATABASE)");
    }
    String jdbc =
        "jdbc:postgresql://"
            + hostPort.host()
            + ":"
            + hostPort.port()
            + "/"
            + encodePath(database)
            + jdbcQuery(url, query);
    return new PgUrl(jdbc, user, password, hostPort.host(), hostPort.port(), database);
  }

  private record HostPort(String host, int port) {}

  private static HostPort hostPort(String url, String authority) {
    String host = authority;
    String portText = null;
    if (authority.startsWith("[")) { // IPv6: [::1]:5432
      int close = authority.indexOf(']');
      if (close < 0) {
        throw bad(url, "its IPv6 host has no closing ]");
      }
      host = authority.substring(0, close + 1);
      String after = authority.substring(close + 1);
      if (after.startsWith(":")) {
        portText = after.substring(1);
      } else if (!after.isEmpty()) {
        throw bad(url, "unexpected \"" + after + "\" after the host");
      }
    } else {
      int colon = authority.lastIndexOf(':');
      if (colon >= 0) {
        host = authority.substring(0, colon);
        portText = authority.substring(colon + 1);
      }
    }
    if (host.isEmpty() || host.contains(",")) {
      throw bad(
          url,
          host.isEmpty()
              ? "it names no host (sockets are not supported: use 127.0.0.1)"
              : "several hosts need a jdbc:postgresql: URL");
    }
    return new HostPort(host, port(url, portText));
  }

  private static int port(String url, String text) {
    if (text == null || text.isEmpty()) {
      return DEFAULT_PORT;
    }
    try {
      int port = Integer.parseInt(text);
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw bad(url, "its port \"" + text + "\" is not a number from 1 to 65535");
  }

  /** The query string for pgjdbc: libpq names translated, everything else passed on. */
  private static String jdbcQuery(String url, String query) {
    if (query == null || query.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = equals < 0 ? pair : pair.substring(0, equals);
      if (name.isEmpty()) {
        throw bad(url, "a parameter has no name");
      }
      out.append(out.isEmpty() ? '?' : '&')
          .append(LIBPQ_NAMES.getOrDefault(name, name))
          .append(equals < 0 ? "" : pair.substring(equals));
    }
    return out.toString();
  }

  private static PgUrl parseJdbc(String url) {
    Properties parsed = org.postgresql.Driver.parseURL(url, null);
    if (parsed == null) {
      throw bad(url, "pgjdbc cannot parse it");
    }
    String database = parsed.getProperty("PGDBNAME", "");
    if (database.isEmpty()) {
      throw bad(url, "it names no database (jdbc:postgresql://host:port/DATABASE)");
    }
    String host = parsed.getProperty("PGHOST", "localhost");
    String ports = parsed.getProperty("PGPORT", Integer.toString(DEFAULT_PORT));
    int port;
    try {
      port = Integer.parseInt(ports.split(",")[0]);
    } catch (NumberFormatException e) {
      throw bad(url, "its port \"" + ports + "\" is not a number");
    }
    return new PgUrl(url, null, null, host, port, database);
  }

  private static String decode(String url, String text, String what) {
    try {
      return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw bad(url, "its " + what + " has a bad %-escape");
    }
  }

  /** A database name in the JDBC URL's path: percent-encodes what would end the path. */
  private static String encodePath(String database) {
    StringBuilder out = new StringBuilder(database.length());
    for (byte b : database.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (c > 0x20 && c < 0x7f && c != '%' && c != '?' && c != '/' && c != '#' && c != '&') {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  private static IllegalArgumentException bad(String url, String reason) {
    return new IllegalArgumentException(
        "bad PostgreSQL URL "
            + redact(url)
            + ": "
            + reason
            + "; expected"
            + " postgresql://user:password@host:port/database?params");
  }

  /** {@code url} with the password (in the authority or a parameter) replaced by {@code ***}. */
  static String redact(String url) {
    String masked = url.replaceAll("://([^/@:?]*):[^@?]*@", "://$1:***@");
    return masked.replaceAll("([?&;]password=)[^&;]*", "$1***");
  }

  /** {@code host:port/database}, for messages; never the password. */
  String describe() {
    return host + ":" + port + "/" + database;
  }

  @Override
  public String toString() {
    return "PgUrl[" + describe() + (user == null ? "" : ", user " + user) + "]";
  }
}
