package org.pgsession.examples.features;

import java.util.List;
import org.pgsession.Session;
import org.pgsession.SessionOptions;
import org.pgsession.examples.Example;
import org.pgsession.examples.ExampleEnv;
import org.pgsession.types.CodecRegistry;
import org.pgsession.types.CompositeField;
import org.pgsession.types.CompositeValue;
import org.pgsession.types.PgComposite;

/** A composite (row) type in both directions. */
public final class CompositeExample implements Example {
  private static final int INT4 = 23;
  private static final int TEXT = 25;

  @Override
  public String name() {
    return "composite";
  }

  @Override
  public String summary() {
    return "register a composite type and send/receive PgComposite values";
  }

  @Override
  public void run(ExampleEnv env) throws Exception {
    int oid;
    try (Session setup = env.open()) {
      ExampleEnv.await(setup.update("DROP TYPE IF EXISTS example_item CASCADE"));
      ExampleEnv.await(setup.update("CREATE TYPE example_item AS (name text, qty int4)"));
      oid = ((Number) ExampleEnv.await(setup.query("SELECT 'example_item'::regtype::oid AS oid")).get(0).get("oid"))
          .intValue();
    }
    CodecRegistry registry = CodecRegistry.defaults()
        .withCompositeType(oid, List.of(new CompositeField("name", TEXT), new CompositeField("qty", INT4)));
    try (Session session = ExampleEnv.await(Session.open(env.server(), env.database(), registry,
        SessionOptions.defaults()))) {
      PgComposite apples = PgComposite.fromFields(oid,
          List.of(new CompositeValue("name", TEXT, "apples"), new CompositeValue("qty", INT4, 3)));
      PgComposite doubled = ExampleEnv.await(session.query(
          "SELECT ROW(($1::example_item).name, ($1::example_item).qty * 2)::example_item AS item", apples))
          .get(0).get("item", PgComposite.class);
      env.out().println("doubled: " + doubled.get("qty") + " " + doubled.get("name"));
      ExampleEnv.await(session.update("DROP TYPE example_item"));
    }
  }
}
