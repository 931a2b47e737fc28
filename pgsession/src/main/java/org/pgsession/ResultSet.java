package org.pgsession;

/**
 * A statement that returned rows (it had a RowDescription).
 *
 * @param query the query
 * @param rows the rows
 * @param command the command word(s) of the tag, e.g. {@code "SELECT"}
 */
public record ResultSet(Query query, Rows rows, String command) implements Result {}
