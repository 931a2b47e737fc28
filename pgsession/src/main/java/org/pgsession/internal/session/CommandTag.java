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

  /** The last tag parsed on any thread: an immutable pair, so a racy read sees a whole one. */
  private static Parsed last = new Parsed("", new CommandTag("", 0));

  private record Parsed(String tag, CommandTag parsed) {}

  /** @param tag the raw tag @return its parts */
  static CommandTag parse(String tag) {
    Parsed p = last;
    if (p.tag.equals(tag)) {
      return p.parsed; // a run of point queries or batch results: "SELECT 1" again and again
    }
    CommandTag parsed = split(tag);
    last = new Parsed(tag, parsed);
    return parsed;
  }

  private static CommandTag split(String tag) {
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
