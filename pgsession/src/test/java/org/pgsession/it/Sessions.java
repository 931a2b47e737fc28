package org.pgsession.it;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.pgsession.AuthRequirement;
import org.pgsession.DatabaseConnectInfo;
import org.pgsession.ServerConnectInfo;
import org.pgsession.Session;
import org.pgsession.SessionOptions;
import org.pgsession.testkit.PgBouncer;
import org.pgsession.testkit.PgCluster;
import org.pgsession.types.CodecRegistry;
import org.pgsession.testkit.TestClusters;
import org.pgsession.testkit.TestRoles;

/**
 * Opens sessions against the testkit clusters.
 *
 * <p>With the system property {@value #PGBOUNCER_PROPERTY} set to {@code session} or
 * {@code transaction}, {@link #plain()} is the shared PgBouncer in that pool mode in front of
 * the plain cluster (the PgBouncer surefire executions), and {@link #options()} turns the
 * statement cache off in transaction mode, as users behind such a pooler must.
 */
public final class Sessions {
  /** System property choosing a PgBouncer pool mode to run the tests through. */
  public static final String PGBOUNCER_PROPERTY = "pgsession.test.pgbouncer";

  private Sessions() {}

  /** @return the PgBouncer pool mode the tests run through, if any */
  public static Optional<PgBouncer.PoolMode> viaPgBouncer() {
    String v = System.getProperty(PGBOUNCER_PROPERTY, "").trim();
    return v.isEmpty() ? Optional.empty() : Optional.of(PgBouncer.PoolMode.valueOf(v.toUpperCase(Locale.ROOT)));
  }

  /** @return plain cluster connect info (SCRAM required), or the PgBouncer in front of it */
  public static ServerConnectInfo plain() {
    Optional<PgBouncer.PoolMode> mode = viaPgBouncer();
    if (mode.isPresent()) {
      PgBouncer b = TestClusters.pgBouncer(mode.get());
      return ServerConnectInfo.of(b.host(), b.port()).withConnectionTimeout(Duration.ofSeconds(30));
    }
    PgCluster c = TestClusters.plain();
    return ServerConnectInfo.of(c.host(), c.port()).withConnectionTimeout(Duration.ofSeconds(30));
  }

  /** @return the default session options, statement cache off behind PgBouncer in transaction mode */
  public static SessionOptions options() {
    return viaPgBouncer().orElse(null) == PgBouncer.PoolMode.TRANSACTION
        ? SessionOptions.defaults().withStatementCacheSize(0)
        : SessionOptions.defaults();
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

  /** @param options session options @return a ready session as the superuser on the plain cluster */
  public static Open open(SessionOptions options) {
    return open(plain(), superuser(), new NotifyRecorder(), options);
  }

  /** @return a ready session */
  public static Open open(ServerConnectInfo server, DatabaseConnectInfo db, NotifyRecorder notify) {
    return open(server, db, notify, options());
  }

  /** @return a ready session with the given options */
  public static Open open(ServerConnectInfo server, DatabaseConnectInfo db, NotifyRecorder notify,
      SessionOptions options) {
    Session s = Session.connect(server, db, notify, CodecRegistry.defaults(), options);
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
