package org.pgsession;

/** A query run through the extended protocol (Parse/Bind/Execute), with parameters. */
public sealed interface ExtendedQuery extends Query permits PreparedQuery, NamedPreparedQuery {
  /** @return the parameter values, in order; null elements are SQL NULL */
  java.util.List<Object> params();
}
