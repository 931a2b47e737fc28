package org.pgsession.internal.codec;

import java.util.ArrayList;
import java.util.List;
import org.pgsession.types.PgArray;

/**
 * Parses PostgreSQL's text array form: {@code {1,2}}, {@code {{"a b",NULL},{"\"",""}}},
 * {@code [0:1]={x,y}}. Elements are quoted when needed; {@code \} escapes the next character;
 * an unquoted {@code NULL} (any case) is SQL NULL. Arrays must be rectangular, at most 6
 * dimensions. Every problem is an IllegalArgumentException.
 */
public final class TextArrays {
  /** PostgreSQL's MAXDIM. */
  static final int MAX_DIMS = 6;

  private final String s;
  private final int elementOid;
  private final TypeTable types;
  private int pos;
  private final int[] sizes = new int[MAX_DIMS + 1];
  private int leafDepth = -1;

  private TextArrays(String s, int elementOid, TypeTable types) {
    this.s = s;
    this.elementOid = elementOid;
    this.types = types;
    java.util.Arrays.fill(sizes, -1);
  }

  /**
   * @param s the array text
   * @param elementOid element type, whose text decoder decodes the elements
   * @param types the registry, for element decoding
   * @return the array
   */
  public static PgArray parse(String s, int elementOid, TypeTable types) {
    TextArrays p = new TextArrays(s, elementOid, types);
    int[] declared = p.dimPrefix();
    p.skipWs();
    PgArray a = p.array(0);
    p.skipWs();
    if (p.pos != s.length()) {
      throw p.fail("junk after closing brace");
    }
    if (declared != null) {
      int depth = p.leafDepth < 0 ? 1 : p.leafDepth;
      if (declared.length != depth) {
        throw p.fail("dimension prefix does not match the array");
      }
      for (int i = 0; i < declared.length; i++) {
        if (declared[i] != Math.max(p.sizes[i], 0)) {
          throw p.fail("dimension prefix does not match the array");
        }
      }
    }
    return a;
  }

  private IllegalArgumentException fail(String why) {
    return Bufs.malformed("array literal", why + " in " + Bufs.abbreviate(s));
  }

  private static boolean ws(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0B || c == '\f';
  }

  private void skipWs() {
    while (pos < s.length() && ws(s.charAt(pos))) {
      pos++;
    }
  }

  /** Optional {@code [lb:ub][lb:ub]=}; returns the sizes, or null when absent. */
  private int[] dimPrefix() {
    skipWs();
    if (pos >= s.length() || s.charAt(pos) != '[') {
      return null;
    }
    List<Integer> dims = new ArrayList<>();
    while (pos < s.length() && s.charAt(pos) == '[') {
      pos++;
      long a = integer();
      long lb = 1;
      long ub = a;
      if (pos < s.length() && s.charAt(pos) == ':') {
        pos++;
        lb = a;
        ub = integer();
      }
      if (pos >= s.length() || s.charAt(pos) != ']') {
        throw fail("bad dimension prefix");
      }
      pos++;
      if (ub < lb - 1 || ub - lb + 1 > Integer.MAX_VALUE || dims.size() >= MAX_DIMS) {
        throw fail("bad dimension prefix");
      }
      dims.add((int) (ub - lb + 1));
      skipWs();
    }
    if (pos >= s.length() || s.charAt(pos) != '=') {
      throw fail("missing '=' after dimensions");
    }
    pos++;
    return dims.stream().mapToInt(Integer::intValue).toArray();
  }

  private long integer() {
    int start = pos;
    if (pos < s.length() && (s.charAt(pos) == '-' || s.charAt(pos) == '+')) {
      pos++;
    }
    while (pos < s.length() && Character.isDigit(s.charAt(pos)) && pos - start < 11) {
      pos++;
    }
    try {
      return Long.parseLong(s.substring(start, pos));
    } catch (NumberFormatException e) {
      throw fail("bad dimension prefix");
    }
  }

  private PgArray array(int depth) {
    if (depth >= MAX_DIMS) {
      throw fail("more than " + MAX_DIMS + " dimensions");
    }
    if (pos >= s.length() || s.charAt(pos) != '{') {
      throw fail("expected '{'");
    }
    pos++;
    List<Object> out = new ArrayList<>();
    skipWs();
    if (pos < s.length() && s.charAt(pos) == '}') {
      pos++;
      return finish(depth, out, depth == 0);
    }
    Boolean nested = null;
    while (true) {
      skipWs();
      if (pos >= s.length()) {
        throw fail("unbalanced braces");
      }
      boolean sub = s.charAt(pos) == '{';
      if (nested == null) {
        nested = sub;
        if (!sub) {
          if (leafDepth >= 0 && leafDepth != depth + 1) {
            throw fail("sub-arrays of different depths");
          }
          leafDepth = depth + 1;
        }
      } else if (nested != sub) {
        throw fail("elements mixed with sub-arrays");
      }
      out.add(sub ? array(depth + 1) : element());
      skipWs();
      if (pos >= s.length()) {
        throw fail("unbalanced braces");
      }
      char c = s.charAt(pos++);
      if (c == '}') {
        break;
      }
      if (c != ',') {
        throw fail("expected ',' or '}' at offset " + (pos - 1));
      }
    }
    return finish(depth, out, false);
  }

  private PgArray finish(int depth, List<Object> out, boolean emptyTop) {
    if (!emptyTop) {
      if (sizes[depth] >= 0 && sizes[depth] != out.size()) {
        throw fail("sub-arrays of different sizes");
      }
      sizes[depth] = out.size();
    }
    return new PgArray(elementOid, out);
  }

  private Object element() {
    StringBuilder sb = new StringBuilder();
    if (s.charAt(pos) == '"') {
      pos++;
      while (true) {
        if (pos >= s.length()) {
          throw fail("unterminated quoted element");
        }
        char c = s.charAt(pos++);
        if (c == '"') {
          break;
        }
        if (c == '\\') {
          if (pos >= s.length()) {
            throw fail("unterminated quoted element");
          }
          c = s.charAt(pos++);
        }
        sb.append(c);
      }
      return types.decodeText(elementOid, sb.toString());
    }
    boolean escaped = false;
    int keep = 0; // length of sb up to the last escaped or non-blank character
    while (true) {
      if (pos >= s.length()) {
        throw fail("unbalanced braces");
      }
      char c = s.charAt(pos);
      if (c == ',' || c == '}') {
        break;
      }
      pos++;
      if (c == '{' || c == '"') {
        throw fail("unexpected '" + c + "' in unquoted element");
      }
      if (c == '\\') {
        if (pos >= s.length()) {
          throw fail("trailing backslash");
        }
        sb.append(s.charAt(pos++));
        escaped = true;
        keep = sb.length();
      } else {
        sb.append(c);
        if (!ws(c)) {
          keep = sb.length();
        }
      }
    }
    sb.setLength(keep);
    if (sb.length() == 0) {
      throw fail("empty unquoted element");
    }
    String v = sb.toString();
    if (!escaped && v.equalsIgnoreCase("NULL")) {
      return null;
    }
    return types.decodeText(elementOid, v);
  }
}
