package org.pgsession;

/** The outcome of one statement. */
public sealed interface Result permits ResultSet, RowModifying, SimpleResult {
  /** @return the query this result belongs to */
  Query query();
}
