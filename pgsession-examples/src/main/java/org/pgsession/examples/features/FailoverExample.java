package org.pgsession.examples.features;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.pgsession.ConnectConfig;
import org.pgsession.ServerConnectInfo;
import org.pgsession.Session;
import org.pgsession.SessionOptions;
import org.pgsession.TargetSessionAttrs;
import org.pgsession.examples.Example;
import org.pgsession.examples.ExampleEnv;

/**
 * A host list: servers are tried in order until one is ready and, with
 * {@code target_session_attrs=read-write}, accepts writes (a standby would be skipped).
 */
public final class FailoverExample implements Example {
  @Override
  public String name() {
    return "failover";
  }

  @Override
  public String summary() {
    return "Session.open over a host list: the first server is down, the second answers";
  }

  @Override
  public void run(ExampleEnv env) throws Exception {
    int deadPort;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      deadPort = probe.getLocalPort(); // free once closed: nothing listens there
    }
    ServerConnectInfo down = ServerConnectInfo.of("127.0.0.1", deadPort).withConnectionTimeout(Duration.ofSeconds(5));
    ConnectConfig config = ConnectConfig.of(List.of(down, env.server()), env.database(), SessionOptions.defaults())
        .withTargetSessionAttrs(TargetSessionAttrs.READ_WRITE);
    try (Session session = ExampleEnv.await(Session.open(config))) {
      int port = ExampleEnv.await(session.query("SELECT inet_server_port() AS port")).get(0).getInteger("port");
      env.out().println("port " + deadPort + " refused; connected to the server on port " + port);
    }
  }
}
