package org.pgsession.examples.features;

import java.util.Arrays;
import java.util.HexFormat;
import org.pgsession.Rows;
import org.pgsession.Session;
import org.pgsession.examples.Example;
import org.pgsession.examples.ExampleEnv;

/** Binary data: a byte[] parameter is sent as bytea and comes back as byte[]. */
public final class ByteaExample implements Example {
  @Override
  public String name() {
    return "bytea";
  }

  @Override
  public String summary() {
    return "store and read back binary data (bytea <-> byte[])";
  }

  @Override
  public void run(ExampleEnv env) throws Exception {
    byte[] data = {0, 1, 2, (byte) 0xfe, (byte) 0xff};
    try (Session session = env.open()) {
      ExampleEnv.await(session.update("CREATE TEMP TABLE blobs(id int4, data bytea)"));
      ExampleEnv.await(session.update("INSERT INTO blobs VALUES ($1, $2)", 1, data));
      Rows rows = ExampleEnv.await(session.query("SELECT data, length(data) AS len FROM blobs WHERE id = $1", 1));
      byte[] back = rows.get(0).getBytes("data");
      env.out().println("stored " + rows.get(0).getInteger("len") + " bytes: " + HexFormat.of().formatHex(back)
          + (Arrays.equals(data, back) ? " (identical)" : " (DIFFERENT)"));
    }
  }
}
