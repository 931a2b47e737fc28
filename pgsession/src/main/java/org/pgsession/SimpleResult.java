package org.pgsession;

/**
 * An empty query string (EmptyQueryResponse).
 *
 * @param query the query
 */
public record SimpleResult(Query query) implements Result {}
