package org.pgsession.examples;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.pgsession.AuthRequirement;
import org.pgsession.ConnectConfig;
import org.pgsession.DatabaseConnectInfo;
import org.pgsession.ServerConnectInfo;
import org.pgsession.Session;
import org.pgsession.SessionOptions;
import org.pgsession.testkit.PgCluster;
import org.pgsession.testkit.TestClusters;
import org.pgsession.testkit.TestRoles;

/**
 * Where the examples connect: the server named by the {@code PG*} environment variables when
 * {@code PGHOST} is set, otherwise an embedded PostgreSQL the testkit starts (binaries from Maven
 * Central, nothing to install). The embedded TLS cluster is started only by the examples that
 * need it.
 */
public final class ExampleEnv {
  /** How long the examples wait for any one answer. */
  public static final Duration WAIT = Duration.ofSeconds(60);

  private final PrintStream out;
  private final boolean embedded;
  private final ServerConnectInfo server;
  private final DatabaseConnectInfo database;

  private ExampleEnv(PrintStream out, boolean embedded, ServerConnectInfo server, DatabaseConnectInfo database) {
    this.out = out;
    this.embedded = embedded;
    this.server = server;
    this.database = database;
  }

  /**
   * @param out where examples print
   * @return the environment: PG* variables when PGHOST is set, otherwise the embedded server
   */
  public static ExampleEnv create(PrintStream out) {
    String host = System.getenv("PGHOST");
    if (host != null && !host.isBlank()) {
      ConnectConfig config = ConnectConfig.fromEnvironment();
      ServerConnectInfo first = config.servers().get(0).withAuthRequirement(AuthRequirement.ALLOW_ANY);
      return new ExampleEnv(out, false, first, config.database());
    }
    PgCluster plain = TestClusters.plain();
    return new ExampleEnv(out, true, ServerConnectInfo.of(plain.host(), plain.port())
        .withConnectionTimeout(Duration.ofSeconds(30)),
        new DatabaseConnectInfo(TestRoles.SCRAM_USER, TestRoles.SCRAM_PASSWORD, TestRoles.DATABASE));
  }

  /** @return where examples print */
  public PrintStream out() {
    return out;
  }

  /** @return whether the server is the embedded one (else the PG* environment's) */
  public boolean embedded() {
    return embedded;
  }

  /** @return the server to use */
  public ServerConnectInfo server() {
    return server;
  }

  /** @return who to log in as */
  public DatabaseConnectInfo database() {
    return database;
  }

  /** @return the same as a {@link ConnectConfig} with default session options */
  public ConnectConfig config() {
    return ConnectConfig.of(List.of(server), database, SessionOptions.defaults());
  }

  /**
   * Opens a ready session (the future API; blocking here is fine: this is not an event loop).
   *
   * @return the session
   * @throws Exception if it cannot connect
   */
  public Session open() throws Exception {
    return Session.open(server, database).get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  /**
   * @return the embedded TLS cluster (started on first use), or null when the examples run
   *     against the PG* environment's server
   */
  public PgCluster tlsCluster() {
    return embedded ? TestClusters.tls() : null;
  }

  /**
   * Waits for a future with the examples' deadline.
   *
   * @param <T> its value type
   * @param future the future
   * @return its value
   * @throws Exception its failure, or a timeout
   */
  public static <T> T await(java.util.concurrent.Future<T> future) throws Exception {
    try {
      return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof Exception ex ? ex : e;
    }
  }
}
