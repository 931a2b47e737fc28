package org.pgsession;

import java.util.Objects;

/**
 * Execution of a statement prepared earlier with {@link Session#prepare}.
 *
 * @param name the statement name
 * @param params parameter values; null elements are SQL NULL
 */
public record NamedPreparedQuery(String name, java.util.List<Object> params) implements ExtendedQuery {
  /** Copies {@code params} into an unmodifiable list that keeps nulls. */
  public NamedPreparedQuery {
    Objects.requireNonNull(name, "name");
    params = ParamList.copyOf(params);
  }

  /**
   * @param name the statement name
   * @param params parameter values; null elements are SQL NULL
   * @return the query
   */
  public static NamedPreparedQuery of(String name, Object... params) {
    return new NamedPreparedQuery(name, ParamList.of(params));
  }
}
