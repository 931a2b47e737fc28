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
    String head = tag.substring(0, lastSpace);
    if (head.startsWith("INSERT ")) {
      head = "INSERT"; // INSERT carries an (always 0) OID before the count
    }
    return new CommandTag(head, rows);
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
