package org.pgsession.examples.features;

import org.pgsession.Rows;
import org.pgsession.Session;
import org.pgsession.SessionOptions;
import org.pgsession.examples.Example;
import org.pgsession.examples.ExampleEnv;
import org.pgsession.types.CodecRegistry;

/** A user-defined enum type: register its OID and its values decode as String. */
public final class EnumExample implements Example {
  @Override
  public String name() {
    return "enum";
  }

  @Override
  public String summary() {
    return "register an enum type's OID with the CodecRegistry";
  }

  @Override
  public void run(ExampleEnv env) throws Exception {
    int oid;
    try (Session setup = env.open()) {
      ExampleEnv.await(setup.update("DROP TYPE IF EXISTS example_mood CASCADE"));
      ExampleEnv.await(setup.update("CREATE TYPE example_mood AS ENUM ('sad', 'ok', 'happy')"));
      oid = ((Number) ExampleEnv.await(setup.query("SELECT 'example_mood'::regtype::oid AS oid")).get(0).get("oid"))
          .intValue();
    }
    CodecRegistry registry = CodecRegistry.defaults().withEnumType(oid);
    try (Session session = ExampleEnv.await(Session.open(env.server(), env.database(), registry,
        SessionOptions.defaults()))) {
      Rows rows = ExampleEnv.await(session.query(
          "SELECT m FROM unnest(enum_range(NULL::example_mood)) m WHERE m > $1::example_mood", "sad"));
      for (int i = 0; i < rows.size(); i++) {
        env.out().println("better than sad: " + rows.get(i).getString("m"));
      }
      ExampleEnv.await(session.update("DROP TYPE example_mood"));
    }
  }
}
