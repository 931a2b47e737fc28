package org.pgsession;

import java.util.Objects;

/**
 * SQL run through the simple query protocol; may hold several statements separated by ';'.
 * Results come back in text format.
 *
 * <p>With several statements the receiver gets one {@link ResultReceiver#pgQueryResult} per
 * statement that completed; if a later statement fails, or the connection dies after some
 * results were delivered, those results are followed by exactly one
 * {@link ResultReceiver#pgQueryFailed} (the server error, or {@code SessionClosed}) and
 * nothing else. The server stops at the first failing statement.
 *
 * @param sql the SQL text
 */
public record SimpleQuery(String sql) implements Query {
  /** Rejects null SQL. */
  public SimpleQuery {
    Objects.requireNonNull(sql, "sql");
  }
}
