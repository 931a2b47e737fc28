package org.pgsession.it;

import java.time.Duration;
import org.pgsession.AuthRequirement;
import org.pgsession.DatabaseConnectInfo;
import org.pgsession.ServerConnectInfo;
import org.pgsession.Session;
import org.pgsession.testkit.PgCluster;
import org.pgsession.testkit.TestClusters;
import org.pgsession.testkit.TestRoles;

/** Opens sessions against the testkit clusters. */
public final class Sessions {
  private Sessions() {}

  /** @return plain cluster connect info (SCRAM required) */
  public static ServerConnectInfo plain() {
    PgCluster c = TestClusters.plain();
    return ServerConnectInfo.of(c.host(), c.port()).withConnectionTimeout(Duration.ofSeconds(30));
  }

  /** @return the superuser over SCRAM */
  public static DatabaseConnectInfo superuser() {
    return new DatabaseConnectInfo(TestRoles.SCRAM_USER, TestRoles.SCRAM_PASSWORD, TestRoles.DATABASE);
  }

  /** A connected session that has reached its first ReadyForQuery. */
  public record Open(Session session, NotifyRecorder events) implements AutoCloseable {
    @Override
    public void close() {
      session.close();
      Await.until("shutdown", events::isShutdown);
    }
  }

  /** @return a ready session as the superuser on the plain cluster */
  public static Open open() {
    return open(plain(), superuser(), new NotifyRecorder());
  }

  /** @return a ready session */
  public static Open open(ServerConnectInfo server, DatabaseConnectInfo db, NotifyRecorder notify) {
    Session s = Session.connect(server, db, notify);
    notify.attach(s);
    Await.until("session ready " + notify.events, () -> notify.ready() || notify.isShutdown());
    if (!notify.ready()) {
      throw new AssertionError("session did not become ready: " + notify.events + " " + notify.failures);
    }
    return new Open(s, notify);
  }

  /** @return ALLOW_ANY variant */
  public static ServerConnectInfo allowAny(ServerConnectInfo s) {
    return s.withAuthRequirement(AuthRequirement.ALLOW_ANY);
  }
}
