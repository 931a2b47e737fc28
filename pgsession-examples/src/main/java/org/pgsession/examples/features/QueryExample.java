package org.pgsession.examples.features;

import org.pgsession.Rows;
import org.pgsession.Session;
import org.pgsession.examples.Example;
import org.pgsession.examples.ExampleEnv;

/** The shortest path: open a session, run a parameterised query, read the row. */
public final class QueryExample implements Example {
  @Override
  public String name() {
    return "query";
  }

  @Override
  public String summary() {
    return "open a session and run one query with the future API";
  }

  @Override
  public void run(ExampleEnv env) throws Exception {
    try (Session session = env.open()) {
      Rows rows = ExampleEnv.await(session.query("SELECT $1::int4 + 1 AS answer, current_user AS who", 41));
      env.out().println("answer = " + rows.get(0).getInteger("answer") + " (asked as " + rows.get(0).getString("who")
          + ")");
    }
  }
}
