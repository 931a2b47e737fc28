package org.pgsession;

import java.util.Objects;

/**
 * SQL run through the simple query protocol; may hold several statements separated by ';'.
 * Results come back in text format.
 *
 * @param sql the SQL text
 */
public record SimpleQuery(String sql) implements Query {
  /** Rejects null SQL. */
  public SimpleQuery {
    Objects.requireNonNull(sql, "sql");
  }
}
