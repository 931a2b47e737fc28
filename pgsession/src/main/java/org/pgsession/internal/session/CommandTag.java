package org.pgsession.internal.session;

/**
 * A CommandComplete tag split into its command word(s) and row count:
 * {@code "INSERT 0 3"} is INSERT/3, {@code "SELECT 2"} is SELECT/2, {@code "CREATE TABLE"} is
 * CREATE TABLE/0.
 *
 * @param command the command word(s)
 * @param rows the row count, 0 when the tag has none
 */
record CommandTag(String command, long rows) {

  /** @param tag the raw tag @return its parts */
  static CommandTag parse(String tag) {
    int lastSpace = tag.lastIndexOf(' ');
    if (lastSpace < 0 || !isCount(tag, lastSpace + 1)) {
      return new CommandTag(tag, 0);
    }
    long rows = Long.parseLong(tag, lastSpace + 1, tag.length(), 10);
    return new CommandTag(command(tag, lastSpace), rows);
  }

  /** The commands that carry a row count, shared instead of a substring per result. */
  private static final String[] COUNTED = {"SELECT", "UPDATE", "DELETE", "MERGE", "FETCH", "MOVE", "COPY"};

  private static String command(String tag, int lastSpace) {
    if (tag.startsWith("INSERT ")) {
      return "INSERT"; // INSERT carries an (always 0) OID before the count
    }
    for (String c : COUNTED) {
      if (lastSpace == c.length() && tag.startsWith(c)) {
        return c;
      }
    }
    return tag.substring(0, lastSpace);
  }

  private static boolean isCount(String s, int from) {
    if (from >= s.length() || s.length() - from > 18) {
      return false;
    }
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
}
