package org.pgsession.examples.features;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.pgsession.ConnectionFailureReason;
import org.pgsession.DatabaseConnectInfo;
import org.pgsession.PgConnectException;
import org.pgsession.ServerConnectInfo;
import org.pgsession.Session;
import org.pgsession.examples.Example;
import org.pgsession.examples.ExampleEnv;

/**
 * A connection timeout bounds everything up to the session being ready. The "server" here
 * accepts the TCP connection and then never says a word.
 */
public final class ConnectionTimeoutExample implements Example {
  @Override
  public String name() {
    return "connection-timeout";
  }

  @Override
  public String summary() {
    return "connection timeout against a server that never answers";
  }

  @Override
  public void run(ExampleEnv env) throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      ServerConnectInfo server = ServerConnectInfo.of("127.0.0.1", silent.getLocalPort())
          .withConnectionTimeout(Duration.ofMillis(500));
      try {
        Session s = ExampleEnv.await(Session.open(server, new DatabaseConnectInfo("nobody", "x", "nothing")));
        s.close();
        env.out().println("connected?");
      } catch (PgConnectException e) {
        boolean timeout = e.reason() instanceof ConnectionFailureReason.ConnectionFailedTimeout;
        env.out().println("gave up after 500 ms: " + (timeout ? "ConnectionFailedTimeout" : e.reason()));
      }
    }
  }
}
