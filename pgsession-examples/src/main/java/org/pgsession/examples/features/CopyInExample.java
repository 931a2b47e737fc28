package org.pgsession.examples.features;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.pgsession.Session;
import org.pgsession.examples.Example;
import org.pgsession.examples.ExampleEnv;

/** Bulk load with COPY FROM STDIN, fed from an InputStream. */
public final class CopyInExample implements Example {
  @Override
  public String name() {
    return "copy-in";
  }

  @Override
  public String summary() {
    return "COPY ... FROM STDIN from an InputStream";
  }

  @Override
  public void run(ExampleEnv env) throws Exception {
    StringBuilder csv = new StringBuilder();
    for (int i = 1; i <= 10_000; i++) {
      csv.append(i).append(",item ").append(i).append('\n');
    }
    try (Session session = env.open()) {
      ExampleEnv.await(session.update("CREATE TEMP TABLE items(id int4, name text)"));
      long copied = ExampleEnv.await(session.copyIn("COPY items FROM STDIN (FORMAT csv)",
          new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8))));
      long sum = ExampleEnv.await(session.query("SELECT sum(id) AS s FROM items")).get(0).getLong("s");
      env.out().println("copied " + copied + " rows; sum of ids " + sum);
    }
  }
}
