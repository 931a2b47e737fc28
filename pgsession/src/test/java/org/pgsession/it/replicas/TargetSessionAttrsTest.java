package org.pgsession.it.replicas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pgsession.TargetSessionAttrs.ANY;
import static org.pgsession.TargetSessionAttrs.PREFER_STANDBY;
import static org.pgsession.TargetSessionAttrs.PRIMARY;
import static org.pgsession.TargetSessionAttrs.READ_ONLY;
import static org.pgsession.TargetSessionAttrs.READ_WRITE;
import static org.pgsession.TargetSessionAttrs.STANDBY;
import static org.pgsession.it.replicas.Replicas.config;
import static org.pgsession.it.replicas.Replicas.landsOn;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pgsession.ConnectConfig;
import org.pgsession.ConnectionFailureReason;
import org.pgsession.PgConnectException;
import org.pgsession.ServerConnectInfo;
import org.pgsession.Session;
import org.pgsession.SessionOptions;
import org.pgsession.TargetSessionAttrs;
import org.pgsession.internal.future.ServerRole;
import org.pgsession.it.Await;
import org.pgsession.it.Futures;
import org.pgsession.it.Sessions;
import org.pgsession.testkit.PgReplicaSet;

/** Every target_session_attrs value against a real primary and streaming standby, both host orders. */
class TargetSessionAttrsTest {
  private static PgReplicaSet set;
  private static ServerConnectInfo primary;
  private static ServerConnectInfo standby;
  private static int primaryPort;
  private static int standbyPort;

  @BeforeAll
  static void replicaSet() {
    set = PgReplicaSet.shared();
    primary = Replicas.primary(set);
    standby = Replicas.standby(set);
    primaryPort = primary.port();
    standbyPort = standby.port();
  }

  /** @return the port a session lands on with the primary listed first, and with the standby first */
  private static List<Integer> landings(TargetSessionAttrs target) {
    return List.of(landsOn(config(target, primary, standby)), landsOn(config(target, standby, primary)));
  }

  @Test
  void anyTakesTheFirstListedServer() {
    assertThat(landings(ANY)).containsExactly(primaryPort, standbyPort);
  }

  @Test
  void readWriteAndPrimaryFindThePrimaryInEitherOrder() {
    assertThat(landings(READ_WRITE)).containsExactly(primaryPort, primaryPort);
    assertThat(landings(PRIMARY)).containsExactly(primaryPort, primaryPort);
  }

  @Test
  void readOnlyAndStandbyFindTheStandbyInEitherOrder() {
    assertThat(landings(READ_ONLY)).containsExactly(standbyPort, standbyPort);
    assertThat(landings(STANDBY)).containsExactly(standbyPort, standbyPort);
  }

  @Test
  void preferStandbyFindsTheStandbyAndFallsBackToThePrimary() {
    assertThat(landings(PREFER_STANDBY)).containsExactly(standbyPort, standbyPort);
    assertThat(landsOn(config(PREFER_STANDBY, primary))).isEqualTo(primaryPort);
  }

  @Test
  void noServerOfTheWantedKindFailsWithServerRoleMismatch() {
    Throwable onlyStandby = Futures.failure(Session.open(config(READ_WRITE, standby)));
    assertThat(onlyStandby).isInstanceOf(PgConnectException.class).hasMessageContaining("target_session_attrs=read-write")
        .hasMessageContaining("hot standby");
    assertThat(((PgConnectException) onlyStandby).reason())
        .isEqualTo(new ConnectionFailureReason.ServerRoleMismatch(READ_WRITE, "in hot standby (read-only)"));

    Throwable twoPrimaries = Futures.failure(Session.open(config(STANDBY, primary, primary)));
    assertThat(twoPrimaries).isInstanceOf(PgConnectException.class).hasMessageContaining("any of 2 servers")
        .hasMessageContaining("target_session_attrs=standby");
    assertThat(((PgConnectException) twoPrimaries).reason())
        .isInstanceOf(ConnectionFailureReason.ServerRoleMismatch.class);
  }

  @Test
  void aReadOnlyByDefaultPrimaryIsReadOnlyButStillPrimary() {
    SessionOptions readOnly = SessionOptions.defaults()
        .withStartupParameter("options", "-c default_transaction_read_only=on");
    ConnectConfig rw = config(READ_WRITE, primary, standby).withOptions(readOnly);
    assertThat(Futures.failure(Session.open(rw))).isInstanceOf(PgConnectException.class)
        .hasMessageContaining("default_transaction_read_only=on");
    assertThat(landsOn(config(READ_ONLY, primary).withOptions(readOnly))).isEqualTo(primaryPort);
    assertThat(landsOn(config(PRIMARY, standby, primary).withOptions(readOnly))).isEqualTo(primaryPort);
  }

  @Test
  void theRoleQueryAgreesWithTheReportedParameters() {
    SessionOptions readOnly = SessionOptions.defaults()
        .withStartupParameter("options", "-c default_transaction_read_only=on");
    assertThat(askedRole(config(ANY, primary))).isEqualTo(new ServerRole(false, false));
    assertThat(askedRole(config(ANY, standby))).isEqualTo(new ServerRole(true, true));
    assertThat(askedRole(config(ANY, primary).withOptions(readOnly))).isEqualTo(new ServerRole(false, true));
  }

  @Test
  void theStandbyStreamsFromThePrimary() {
    try (Session p = Futures.await(Session.open(primary, Sessions.superuser()));
        Session s = Futures.await(Session.open(standby, Sessions.superuser()))) {
      String table = "replicated_" + System.nanoTime();
      Futures.await(p.update("CREATE TABLE " + table + " (v int)"));
      Futures.await(p.update("INSERT INTO " + table + " VALUES (42)"));
      // The table and its row come in separate WAL records: wait for both (the table first, so the count can run).
      Await.until("the row reaches the standby", () -> Futures.await(
          s.query("SELECT count(*) FROM pg_class WHERE relname = $1", table)).get(0).getLong(0) == 1L
          && Futures.await(s.query("SELECT count(*) FROM " + table)).get(0).getLong(0) == 1L);
      assertThat(Futures.await(s.query("SELECT v FROM " + table)).get(0).getInteger(0)).isEqualTo(42);
      assertThat(s.parameter("in_hot_standby")).isEqualTo("on");
      assertThat(p.parameter("in_hot_standby")).isEqualTo("off");
    }
  }

  private static ServerRole askedRole(ConnectConfig config) {
    Session s = Futures.await(Session.open(config));
    try {
      return Futures.await(ServerRole.ask(s, Duration.ofSeconds(60)));
    } finally {
      Futures.await(s.closeAsync());
    }
  }
}
