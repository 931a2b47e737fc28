package org.pgsession.internal.config;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;

/**
 * Splits a libpq connection string into its keys, following libpq's documented syntax: a URI
 * ({@code postgresql://}, {@code postgres://}, or {@code jdbc:postgresql://}) or
 * {@code key = value} pairs. Values are returned raw (not validated); a later key wins over an
 * earlier one, as in libpq. Error messages never quote a value, so a password cannot leak.
 */
public final class ConnStringParser {
  private static final String[] URI_PREFIXES = {"postgresql://", "postgres://", "jdbc:postgresql://"};

  private ConnStringParser() {}

  /**
   * @param s the connection string; empty means "all defaults"
   * @return the keys given, with their (decoded, unescaped) values
   * @throws IllegalArgumentException on a syntax error or an unknown key
   */
  public static Map<ConnKey, String> parse(String s) {
    for (String prefix : URI_PREFIXES) {
      if (s.startsWith(prefix)) {
        return parseUri(s.substring(prefix.length()));
      }
    }
    return parseKeyValue(s);
  }

  // ---- key = value ----

  private static Map<ConnKey, String> parseKeyValue(String s) {
    Map<ConnKey, String> out = new EnumMap<>(ConnKey.class);
    int i = 0;
    int n = s.length();
    while (true) {
      i = skipSpace(s, i);
      if (i >= n) {
        return out;
      }
      int keyStart = i;
      while (i < n && s.charAt(i) != '=' && !Character.isWhitespace(s.charAt(i))) {
        i++;
      }
      String key = s.substring(keyStart, i);
      i = skipSpace(s, i);
      if (i >= n || s.charAt(i) != '=') {
        throw new IllegalArgumentException("missing \"=\" after " + describeWord(key, keyStart)
            + " in connection info string");
      }
      ConnKey k = ConnKey.of(key);
      i = skipSpace(s, i + 1);
      StringBuilder value = new StringBuilder();
      if (i < n && s.charAt(i) == '\'') {
        i++;
        while (true) {
          if (i >= n) {
            throw new IllegalArgumentException("unterminated quoted string in connection info string (value of "
                + k.libpqName() + ")");
          }
          char c = s.charAt(i);
          if (c == '\'') {
            i++;
            break;
          }
          if (c == '\\' && i + 1 < n) {
            c = s.charAt(++i);
          }
          value.append(c);
          i++;
        }
      } else {
        while (i < n && !Character.isWhitespace(s.charAt(i))) {
          char c = s.charAt(i);
          if (c == '\\' && i + 1 < n) {
            c = s.charAt(++i);
          }
          value.append(c);
          i++;
        }
      }
      out.put(k, value.toString());
    }
  }

  /** Names a known key; anything else only by offset (it may be a fragment of a mis-quoted password). */
  private static String describeWord(String word, int offset) {
    try {
      return "\"" + ConnKey.of(word).libpqName() + "\"";
    } catch (IllegalArgumentException e) {
      return "the word at offset " + offset;
    }
  }

  private static int skipSpace(String s, int i) {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  // ---- URI: [user[:password]@][host[:port][,...]][/dbname][?key=value[&...]] ----

  private static Map<ConnKey, String> parseUri(String rest) {
    Map<ConnKey, String> out = new EnumMap<>(ConnKey.class);
    int query = rest.indexOf('?');
    String params = query >= 0 ? rest.substring(query + 1) : null;
    String beforeQuery = query >= 0 ? rest.substring(0, query) : rest;
    int slash = beforeQuery.indexOf('/');
    String authority = slash >= 0 ? beforeQuery.substring(0, slash) : beforeQuery;
    String path = slash >= 0 ? beforeQuery.substring(slash + 1) : null;

    // The last '@' ends the user info (libpq takes the first; an unencoded '@' in a password then
    // still works here). The authority ends at the first '/' or '?'.
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      String userInfo = authority.substring(0, at);
      authority = authority.substring(at + 1);
      int colon = userInfo.indexOf(':');
      String user = colon >= 0 ? userInfo.substring(0, colon) : userInfo;
      if (!user.isEmpty()) {
        out.put(ConnKey.USER, decode(user, "user name"));
      }
      if (colon >= 0) {
        out.put(ConnKey.PASSWORD, decode(userInfo.substring(colon + 1), "password"));
      }
    }
    parseHosts(authority, out);
    if (path != null && !path.isEmpty()) {
      out.put(ConnKey.DBNAME, decode(path, "database name"));
    }
    if (params != null && !params.isEmpty()) {
      for (String pair : params.split("&", -1)) {
        parseQueryParameter(pair, out);
      }
    }
    return out;
  }

  private static void parseHosts(String authority, Map<ConnKey, String> out) {
    StringBuilder hosts = new StringBuilder();
    StringBuilder ports = new StringBuilder();
    boolean anyHost = false;
    boolean anyPort = false;
    int i = 0;
    int n = authority.length();
    while (true) {
      String host;
      if (i < n && authority.charAt(i) == '[') {
        int close = authority.indexOf(']', i);
        if (close < 0) {
          throw new IllegalArgumentException("end of string reached when looking for matching \"]\" in IPv6 host"
              + " address in URI");
        }
        host = authority.substring(i + 1, close);
        if (host.isEmpty()) {
          throw new IllegalArgumentException("IPv6 host address may not be empty in URI");
        }
        i = close + 1;
        if (i < n && authority.charAt(i) != ':' && authority.charAt(i) != ',') {
          throw new IllegalArgumentException("unexpected character after IPv6 host address in URI");
        }
      } else {
        int start = i;
        while (i < n && authority.charAt(i) != ':' && authority.charAt(i) != ',') {
          i++;
        }
        host = authority.substring(start, i);
      }
      String port = "";
      if (i < n && authority.charAt(i) == ':') {
        int start = ++i;
        while (i < n && authority.charAt(i) != ',') {
          i++;
        }
        port = authority.substring(start, i);
      }
      hosts.append(decode(host, "host"));
      ports.append(decode(port, "port"));
      anyHost |= !host.isEmpty();
      anyPort |= !port.isEmpty();
      if (i >= n) {
        break;
      }
      i++; // the ','
      hosts.append(',');
      ports.append(',');
    }
    if (anyHost || hosts.length() > 0) {
      out.put(ConnKey.HOST, hosts.toString());
    }
    if (anyPort) {
      out.put(ConnKey.PORT, ports.toString());
    }
  }

  private static void parseQueryParameter(String pair, Map<ConnKey, String> out) {
    int eq = pair.indexOf('=');
    if (eq < 0) {
      throw new IllegalArgumentException("missing key/value separator \"=\" in URI query parameter");
    }
    if (pair.indexOf('=', eq + 1) >= 0) {
      throw new IllegalArgumentException("extra key/value separator \"=\" in URI query parameter");
    }
    String name = decode(pair.substring(0, eq), "query parameter name");
    String value = decode(pair.substring(eq + 1), "value of query parameter " + name);
    if (name.equals("ssl")) {
      // libpq's JDBC compatibility: ssl=true means sslmode=require.
      if (!value.equals("true")) {
        throw new IllegalArgumentException("invalid ssl value: only \"true\" is accepted (means sslmode=require)");
      }
      out.put(ConnKey.SSLMODE, "require");
      return;
    }
    out.put(ConnKey.of(name), value);
  }

  /** Percent-decodes one URI component as UTF-8; {@code %00} is refused, as in libpq. */
  static String decode(String s, String what) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
    byte[] raw = s.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < raw.length; i++) {
      byte b = raw[i];
      if (b != '%') {
        bytes.write(b);
        continue;
      }
      int hi = i + 1 < raw.length ? Character.digit(raw[i + 1], 16) : -1;
      int lo = i + 2 < raw.length ? Character.digit(raw[i + 2], 16) : -1;
      if (hi < 0 || lo < 0) {
        throw new IllegalArgumentException("invalid percent-encoded token in the " + what + " of the URI");
      }
      int v = hi << 4 | lo;
      if (v == 0) {
        throw new IllegalArgumentException("forbidden value %00 in the " + what + " of the URI");
      }
      bytes.write(v);
      i += 2;
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("percent-encoded bytes are not UTF-8 in the " + what + " of the URI");
    }
  }
}
