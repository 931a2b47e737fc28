package org.pgsession.it.pgbouncer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgsession.ErrorResponseMessage;
import org.pgsession.PreparedQuery;
import org.pgsession.QueryFailure;
import org.pgsession.ResultSet;
import org.pgsession.ServerConnectInfo;
import org.pgsession.Session;
import org.pgsession.SessionOptions;
import org.pgsession.SimpleQuery;
import org.pgsession.invariants.SessionInvariants;
import org.pgsession.it.NotifyRecorder;
import org.pgsession.it.ResultRecorder;
import org.pgsession.it.Sessions;
import org.pgsession.testkit.PgBouncer;
import org.pgsession.testkit.PgTestExtension;
import org.pgsession.testkit.TestClusters;
import org.pgsession.types.CodecRegistry;

/**
 * The statement cache left on behind PgBouncer in transaction mode (1.18: no prepared-statement
 * tracking, so a session's next transaction may run on a server connection that lacks its
 * statements): results stay right, and where the driver cannot re-prepare transparently the
 * failure names the setting to change. Needs pgbouncer installed: {@code .ci/run} installs it.
 */
@ExtendWith(PgTestExtension.class)
@ExtendWith(SessionInvariants.class)
class StatementCacheBehindPgBouncerTest {

  private static ServerConnectInfo transactionMode() {
    PgBouncer b = TestClusters.pgBouncer(PgBouncer.PoolMode.TRANSACTION);
    return ServerConnectInfo.of(b.host(), b.port()).withConnectionTimeout(Duration.ofSeconds(30));
  }

  private static Sessions.Open openCached(ServerConnectInfo server) {
    NotifyRecorder notify = new NotifyRecorder();
    Session s = Session.connect(server, Sessions.superuser(), notify, CodecRegistry.defaults(),
        SessionOptions.defaults()); // statement cache on (the default)
    org.pgsession.it.Await.until("session ready " + notify.events, () -> notify.ready() || notify.isShutdown());
    assertThat(notify.ready()).as("ready: %s %s", notify.events, notify.failures).isTrue();
    return new Sessions.Open(s, notify);
  }

  private static Object run(Session s, org.pgsession.Query q) {
    ResultRecorder r = new ResultRecorder();
    s.execute(q, r);
    return r.awaitResult() instanceof ResultSet rs && rs.rows().size() > 0 ? rs.rows().get(0).get(0) : null;
  }

  private static int pid(Session s) {
    return ((Number) run(s, new SimpleQuery("SELECT pg_backend_pid()"))).intValue();
  }

  @Test
  void twoSessionsWithTheCacheOnNeverGetEachOthersStatements() {
    ServerConnectInfo server = transactionMode();
    try (Sessions.Open a = openCached(server); Sessions.Open b = openCached(server)) {
      // Same parameter types, different SQL: a shared statement name would answer with the
      // other session's expression. Alternating moves the statements between backends.
      for (int i = 0; i < 200; i++) {
        assertThat(run(a.session(), PreparedQuery.of("SELECT $1::int4 + 1", i))).as("a %s", i).isEqualTo(i + 1);
        assertThat(run(b.session(), PreparedQuery.of("SELECT $1::int4 * 100", i))).as("b %s", i).isEqualTo(i * 100);
      }
    }
  }

  @Test
  void aLostStatementInsideATransactionFailsNamingTheSetting() {
    ServerConnectInfo server = transactionMode();
    List<Sessions.Open> holders = new ArrayList<>();
    try (Sessions.Open a = openCached(server)) {
      Session s = a.session();
      PreparedQuery q = PreparedQuery.of("SELECT $1::int4 + 1", 41);
      run(s, new SimpleQuery("BEGIN"));
      assertThat(run(s, q)).isEqualTo(42); // prepared (cached) on this transaction's backend
      int first = pid(s);
      run(s, new SimpleQuery("COMMIT"));
      // Pin that backend in other clients' open transactions, so a's next one runs elsewhere.
      boolean pinned = false;
      for (int i = 0; i < 15 && !pinned; i++) {
        Sessions.Open h = openCached(server);
        holders.add(h);
        run(h.session(), new SimpleQuery("BEGIN"));
        pinned = pid(h.session()) == first;
      }
      assertThat(pinned).as("a holder pinned backend %s", first).isTrue();

      run(s, new SimpleQuery("BEGIN"));
      assertThat(pid(s)).isNotEqualTo(first);
      ResultRecorder r = new ResultRecorder();
      s.execute(q, r);
      QueryFailure f = r.awaitFailure();
      assertThat(r.results).as("no result from a lost statement").isEmpty();
      assertThat(f).isInstanceOf(ErrorResponseMessage.class);
      ErrorResponseMessage e = (ErrorResponseMessage) f;
      assertThat(e.code()).isEqualTo("26000");
      assertThat(e.hint()).contains("PgBouncer", "statement_cache_size=0", "SessionOptions.withStatementCacheSize(0)");
      run(s, new SimpleQuery("ROLLBACK"));

      // Outside a transaction the driver re-prepares transparently: right answer.
      assertThat(run(s, q)).isEqualTo(42);
    } finally {
      holders.forEach(Sessions.Open::close);
    }
  }
}
