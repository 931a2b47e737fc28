package org.pgsession.examples;

/** One runnable example of a pgsession feature. */
public interface Example {
  /** @return the name the runner knows it by (lower case, dashes) */
  String name();

  /** @return one line saying what it shows */
  String summary();

  /**
   * Runs the example, printing what it does to {@link ExampleEnv#out()}.
   *
   * @param env where to connect and where to print
   * @throws Exception if the example fails; the message says why
   */
  void run(ExampleEnv env) throws Exception;
}
