package org.pgsession.r2dbc;

import io.r2dbc.spi.Batch;
import io.r2dbc.spi.Result;
import java.util.ArrayList;
import java.util.List;
import org.pgsession.SimpleQuery;
import reactor.core.publisher.Flux;

/**
 * SQL statements without parameters sent together as one simple-protocol query: one round trip,
 * one result per statement. As with any multi-statement query, PostgreSQL runs them in one implicit
 * transaction when no block is open, so a failing statement undoes the ones before it.
 */
final class PgsessionBatch implements Batch {
  private final PgsessionConnection connection;
  private final List<String> statements = new ArrayList<>();

  PgsessionBatch(PgsessionConnection connection) {
    this.connection = connection;
  }

  @Override
  public Batch add(String sql) {
    statements.add(Args.notNull(sql, "sql"));
    return this;
  }

  @Override
  public Flux<Result> execute() {
    if (statements.isEmpty()) {
      throw new IllegalStateException("the batch has no statements");
    }
    String sql = String.join("; ", statements);
    return connection.run(Flux.defer(() -> connection.executeAll(new SimpleQuery(sql), sql)));
  }
}
