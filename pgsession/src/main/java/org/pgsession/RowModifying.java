package org.pgsession;

/**
 * A statement without rows.
 *
 * @param query the query
 * @param command the command word(s) of the tag, e.g. {@code "INSERT"}, {@code "CREATE TABLE"}
 * @param impacted the tag's row count, 0 if it has none
 */
public record RowModifying(Query query, String command, long impacted) implements Result {}
