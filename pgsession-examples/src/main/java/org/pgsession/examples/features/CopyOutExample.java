package org.pgsession.examples.features;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.pgsession.Session;
import org.pgsession.examples.Example;
import org.pgsession.examples.ExampleEnv;

/** Bulk export with COPY TO STDOUT into an OutputStream. */
public final class CopyOutExample implements Example {
  @Override
  public String name() {
    return "copy-out";
  }

  @Override
  public String summary() {
    return "COPY ... TO STDOUT into an OutputStream";
  }

  @Override
  public void run(ExampleEnv env) throws Exception {
    try (Session session = env.open()) {
      ByteArrayOutputStream sink = new ByteArrayOutputStream();
      long rows = ExampleEnv.await(session.copyOut(
          "COPY (SELECT g, 'line ' || g FROM generate_series(1, 3) g) TO STDOUT (FORMAT csv)", sink));
      env.out().println("exported " + rows + " rows:");
      env.out().print(sink.toString(StandardCharsets.UTF_8));
    }
  }
}
