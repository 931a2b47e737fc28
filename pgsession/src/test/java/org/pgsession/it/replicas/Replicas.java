package org.pgsession.it.replicas;

import java.time.Duration;
import java.util.List;
import org.pgsession.ConnectConfig;
import org.pgsession.ServerConnectInfo;
import org.pgsession.Session;
import org.pgsession.SessionOptions;
import org.pgsession.TargetSessionAttrs;
import org.pgsession.it.Futures;
import org.pgsession.it.Sessions;
import org.pgsession.testkit.PgCluster;
import org.pgsession.testkit.PgReplicaSet;
import org.pgsession.testkit.PgStandby;

/** Connect infos and configurations over a testkit primary + standby. */
final class Replicas {
  private Replicas() {}

  static ServerConnectInfo primary(PgReplicaSet set) {
    PgCluster p = set.primary();
    return ServerConnectInfo.of(p.host(), p.port()).withConnectionTimeout(Duration.ofSeconds(30));
  }

  static ServerConnectInfo standby(PgReplicaSet set) {
    PgStandby s = set.standby();
    return ServerConnectInfo.of(s.host(), s.port()).withConnectionTimeout(Duration.ofSeconds(30));
  }

  /** @return the superuser over the given servers, in that order, with that target */
  static ConnectConfig config(TargetSessionAttrs target, ServerConnectInfo... servers) {
    return ConnectConfig.of(List.of(servers), Sessions.superuser(), SessionOptions.defaults())
        .withTargetSessionAttrs(target);
  }

  /** @return the port of the server the session is connected to */
  static int serverPort(Session s) {
    return Futures.await(s.query("SELECT inet_server_port()")).get(0).getInteger(0);
  }

  /** Opens a session, notes which server it reached, closes it. @return that server's port */
  static int landsOn(ConnectConfig config) {
    Session s = Futures.await(Session.open(config));
    try {
      return serverPort(s);
    } finally {
      Futures.await(s.closeAsync());
    }
  }
}
