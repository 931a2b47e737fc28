package org.pgsession.examples;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pgsession.examples.features.ArraysExample;
import org.pgsession.examples.features.ByteaExample;
import org.pgsession.examples.features.CancelExample;
import org.pgsession.examples.features.CompositeExample;
import org.pgsession.examples.features.ConnectionTimeoutExample;
import org.pgsession.examples.features.CopyInExample;
import org.pgsession.examples.features.CopyOutExample;
import org.pgsession.examples.features.CrudTransactionsExample;
import org.pgsession.examples.features.CustomCodecExample;
import org.pgsession.examples.features.EnumExample;
import org.pgsession.examples.features.FailoverExample;
import org.pgsession.examples.features.ListenNotifyExample;
import org.pgsession.examples.features.NamedPreparedQueryExample;
import org.pgsession.examples.features.NoticesExample;
import org.pgsession.examples.features.ParameterStatusExample;
import org.pgsession.examples.features.PipelineExample;
import org.pgsession.examples.features.PoolExample;
import org.pgsession.examples.features.PreparedQueryExample;
import org.pgsession.examples.features.QueryExample;
import org.pgsession.examples.features.SslExample;
import org.pgsession.examples.features.StatementTimeoutExample;
import org.pgsession.examples.features.StreamingExample;
import org.pgsession.examples.features.TemporalExample;
import org.pgsession.examples.features.TransactionStatusExample;

/**
 * Runs the feature examples: {@code Examples list}, {@code Examples all}, or
 * {@code Examples NAME...}. Each uses the embedded server unless {@code PGHOST} is set.
 */
public final class Examples {
  private Examples() {}

  /** @return every example, by name, in tour order */
  public static Map<String, Example> all() {
    Map<String, Example> byName = new LinkedHashMap<>();
    for (Example e : List.of(new QueryExample(), new PreparedQueryExample(), new NamedPreparedQueryExample(),
        new ByteaExample(), new ArraysExample(), new TemporalExample(), new EnumExample(), new CompositeExample(),
        new CustomCodecExample(), new CrudTransactionsExample(), new CancelExample(), new StatementTimeoutExample(),
        new ConnectionTimeoutExample(), new CopyInExample(), new CopyOutExample(), new StreamingExample(),
        new PipelineExample(), new ListenNotifyExample(), new NoticesExample(), new ParameterStatusExample(),
        new TransactionStatusExample(), new SslExample(), new FailoverExample(), new PoolExample())) {
      byName.put(e.name(), e);
    }
    return byName;
  }

  /**
   * @param args {@code list}, {@code all}, or example names
   * @throws Exception when an example fails
   */
  public static void main(String[] args) throws Exception {
    Map<String, Example> examples = all();
    PrintStream out = System.out;
    if (args.length == 0 || args[0].equals("list")) {
      out.println("Examples (run one with its name, or 'all'):");
      examples.values().forEach(e -> out.printf("  %-22s %s%n", e.name(), e.summary()));
      return;
    }
    List<Example> chosen = new ArrayList<>();
    for (String arg : args) {
      if (arg.equals("all")) {
        chosen.addAll(examples.values());
      } else if (examples.containsKey(arg)) {
        chosen.add(examples.get(arg));
      } else {
        throw new IllegalArgumentException("no example named '" + arg + "'; known: " + examples.keySet());
      }
    }
    ExampleEnv env = ExampleEnv.create(out);
    for (Example e : chosen) {
      out.println("== " + e.name() + ": " + e.summary());
      e.run(env);
    }
    System.exit(0); // the embedded servers stop with the JVM
  }
}
