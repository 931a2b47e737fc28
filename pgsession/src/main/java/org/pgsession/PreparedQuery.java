package org.pgsession;

import java.util.Objects;

/**
 * One statement with {@code $n} parameters, run as an unnamed prepared statement.
 * Parameter values are never interpolated into the SQL.
 *
 * @param sql the SQL text
 * @param params parameter values; null elements are SQL NULL
 */
public record PreparedQuery(String sql, java.util.List<Object> params) implements ExtendedQuery {
  /** Copies {@code params} into an unmodifiable list that keeps nulls. */
  public PreparedQuery {
    Objects.requireNonNull(sql, "sql");
    params = ParamList.copyOf(params);
  }

  /**
   * @param sql the SQL text
   * @param params parameter values; null elements are SQL NULL
   * @return the query
   */
  public static PreparedQuery of(String sql, Object... params) {
    return new PreparedQuery(sql, ParamList.of(params));
  }
}
