package org.pgsession.examples.features;

import java.util.concurrent.CompletableFuture;
import org.pgsession.PreparedQuery;
import org.pgsession.Query;
import org.pgsession.QueryFailure;
import org.pgsession.Result;
import org.pgsession.ResultReceiver;
import org.pgsession.ResultSet;
import org.pgsession.Row;
import org.pgsession.Session;
import org.pgsession.examples.Example;
import org.pgsession.examples.ExampleEnv;

/**
 * An extended-protocol query through the low-level callback API: parameters go through Bind
 * (never into the SQL text), results arrive in binary and are decoded to Java types.
 */
public final class PreparedQueryExample implements Example {
  @Override
  public String name() {
    return "prepared-query";
  }

  @Override
  public String summary() {
    return "PreparedQuery with a ResultReceiver (the callback layer)";
  }

  @Override
  public void run(ExampleEnv env) throws Exception {
    try (Session session = env.open()) {
      CompletableFuture<Void> done = new CompletableFuture<>();
      session.execute(PreparedQuery.of("SELECT g AS n, g * g AS square FROM generate_series(1, $1) g", 4),
          new ResultReceiver() {
            @Override
            public void pgQueryResult(Session s, Result result) {
              for (Row row : ((ResultSet) result).rows()) {
                env.out().println(row.getInteger("n") + " squared is " + row.getInteger("square"));
              }
            }

            @Override
            public void pgQueryComplete(Session s, Query query) {
              done.complete(null);
            }

            @Override
            public void pgQueryFailed(Session s, Query query, QueryFailure failure) {
              done.completeExceptionally(new IllegalStateException("query failed: " + failure));
            }
          });
      ExampleEnv.await(done);
    }
  }
}
