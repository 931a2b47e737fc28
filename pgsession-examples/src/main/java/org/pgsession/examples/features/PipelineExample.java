package org.pgsession.examples.features;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.pgsession.ExtendedQuery;
import org.pgsession.PipelineReceiver;
import org.pgsession.PreparedQuery;
import org.pgsession.QueryFailure;
import org.pgsession.Result;
import org.pgsession.ResultSet;
import org.pgsession.Session;
import org.pgsession.examples.Example;
import org.pgsession.examples.ExampleEnv;

/** Several queries in one write; each has its own result or failure. */
public final class PipelineExample implements Example {
  @Override
  public String name() {
    return "pipeline";
  }

  @Override
  public String summary() {
    return "pipeline(): many queries in one round trip, failures isolated per query";
  }

  @Override
  public void run(ExampleEnv env) throws Exception {
    List<PreparedQuery> queries = List.of(
        PreparedQuery.of("SELECT $1::int4 * 2 AS v", 21),
        PreparedQuery.of("SELECT 1 / $1::int4 AS v", 0),
        PreparedQuery.of("SELECT upper($1::text) AS v", "still runs"));
    try (Session session = env.open()) {
      CompletableFuture<Void> done = new CompletableFuture<>();
      session.pipeline(queries, new PipelineReceiver() {
        @Override
        public void pgPipelineResult(Session s, int index, Result result) {
          env.out().println(index + ": " + ((ResultSet) result).rows().get(0).get("v"));
        }

        @Override
        public void pgPipelineFailed(Session s, int index, ExtendedQuery query, QueryFailure failure) {
          String code = failure instanceof org.pgsession.ErrorResponseMessage e ? e.code() : failure.toString();
          env.out().println(index + ": failed with " + code);
        }

        @Override
        public void pgPipelineComplete(Session s) {
          done.complete(null);
        }
      });
      ExampleEnv.await(done);
    }
  }
}
