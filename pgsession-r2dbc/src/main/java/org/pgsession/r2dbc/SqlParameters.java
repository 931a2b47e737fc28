package org.pgsession.r2dbc;

/**
 * Counts the {@code $n} parameters of a SQL text, skipping string literals, quoted identifiers,
 * dollar-quoted strings and comments, so a {@code '$1'} inside a literal is not a parameter.
 */
final class SqlParameters {
  private SqlParameters() {}

  /**
   * @param sql the SQL text
   * @return the highest {@code $n} used outside literals and comments (0 when none)
   */
  static int count(String sql) {
    int max = 0;
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '\'') {
        boolean escapes = i > 0 && (sql.charAt(i - 1) == 'E' || sql.charAt(i - 1) == 'e')
            && (i < 2 || !Character.isLetterOrDigit(sql.charAt(i - 2)));
        i = skipQuoted(sql, i + 1, '\'', escapes);
      } else if (c == '"') {
        i = skipQuoted(sql, i + 1, '"', false);
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        int eol = sql.indexOf('\n', i);
        i = eol < 0 ? n : eol + 1;
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        i = skipBlockComment(sql, i + 2);
      } else if (c == '$') {
        int j = i + 1;
        while (j < n && Character.isDigit(sql.charAt(j))) {
          j++;
        }
        if (j > i + 1 && (i == 0 || !isIdentifierPart(sql.charAt(i - 1)))) {
          max = Math.max(max, Integer.parseInt(sql.substring(i + 1, j)));
          i = j;
        } else if (i == 0 || !isIdentifierPart(sql.charAt(i - 1))) {
          i = skipDollarQuoted(sql, i);
        } else {
          i++;
        }
      } else {
        i++;
      }
    }
    return max;
  }

  private static boolean isIdentifierPart(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$';
  }

  private static int skipQuoted(String sql, int from, char quote, boolean backslashEscapes) {
    int i = from;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (backslashEscapes && c == '\\') {
        i += 2;
      } else if (c == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2; // doubled quote stays inside
        } else {
          return i + 1;
        }
      } else {
        i++;
      }
    }
    return sql.length();
  }

  private static int skipBlockComment(String sql, int from) {
    int depth = 1; // PostgreSQL block comments nest
    int i = from;
    while (i < sql.length() && depth > 0) {
      if (sql.startsWith("/*", i)) {
        depth++;
        i += 2;
      } else if (sql.startsWith("*/", i)) {
        depth--;
        i += 2;
      } else {
        i++;
      }
    }
    return i;
  }

  /** At a '$' that starts no parameter: a {@code $tag$...$tag$} string, or just a '$'. */
  private static int skipDollarQuoted(String sql, int start) {
    int j = start + 1;
    while (j < sql.length() && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
      j++;
    }
    if (j >= sql.length() || sql.charAt(j) != '$') {
      return start + 1;
    }
    String tag = sql.substring(start, j + 1);
    int end = sql.indexOf(tag, j + 1);
    return end < 0 ? sql.length() : end + tag.length();
  }
}
