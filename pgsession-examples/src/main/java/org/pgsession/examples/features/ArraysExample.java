package org.pgsession.examples.features;

import java.util.Arrays;
import java.util.List;
import org.pgsession.Row;
import org.pgsession.Rows;
import org.pgsession.Session;
import org.pgsession.examples.Example;
import org.pgsession.examples.ExampleEnv;
import org.pgsession.types.PgArray;

/** Arrays in both directions, including NULL elements and two dimensions. */
public final class ArraysExample implements Example {
  private static final int INT4 = 23;

  @Override
  public String name() {
    return "arrays";
  }

  @Override
  public String summary() {
    return "PgArray parameters and results, NULL elements, multi-dimensional arrays";
  }

  @Override
  public void run(ExampleEnv env) throws Exception {
    try (Session session = env.open()) {
      PgArray numbers = new PgArray(INT4, Arrays.asList(3, null, 1, 2));
      Rows rows = ExampleEnv.await(session.query(
          "SELECT array_length($1::int4[], 1) AS len, array_remove($1::int4[], NULL) AS no_nulls, "
              + "ARRAY[[1,2],[3,4]] AS matrix", numbers));
      Row row = rows.get(0);
      PgArray noNulls = row.get("no_nulls", PgArray.class);
      PgArray matrix = row.get("matrix", PgArray.class);
      env.out().println("length " + row.getInteger("len") + ", without NULLs " + noNulls.elements());
      List<Object> firstRow = ((PgArray) matrix.elements().get(0)).elements();
      env.out().println("matrix has " + matrix.elements().size() + " rows; the first is " + firstRow);
    }
  }
}
