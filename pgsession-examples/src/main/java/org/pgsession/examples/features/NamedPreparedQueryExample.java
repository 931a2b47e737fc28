package org.pgsession.examples.features;

import java.util.List;
import org.pgsession.NamedPreparedQuery;
import org.pgsession.Result;
import org.pgsession.ResultSet;
import org.pgsession.Session;
import org.pgsession.examples.Example;
import org.pgsession.examples.ExampleEnv;

/** Prepares a named statement once and executes it with different parameters. */
public final class NamedPreparedQueryExample implements Example {
  @Override
  public String name() {
    return "named-prepared-query";
  }

  @Override
  public String summary() {
    return "prepare a named statement, execute it several times, close it";
  }

  @Override
  public void run(ExampleEnv env) throws Exception {
    try (Session session = env.open()) {
      ExampleEnv.await(session.prepare("greeting", "SELECT 'hello, ' || $1::text AS text"));
      for (String who : List.of("alice", "bob")) {
        List<Result> results = ExampleEnv.await(session.execute(NamedPreparedQuery.of("greeting", who)));
        env.out().println(((ResultSet) results.get(0)).rows().get(0).getString("text"));
      }
      session.closeStatement("greeting");
    }
  }
}
