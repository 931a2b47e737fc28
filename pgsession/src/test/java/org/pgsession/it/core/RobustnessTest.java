package org.pgsession.it.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.pgsession.ClientQueryError;
import org.pgsession.ErrorResponseMessage;
import org.pgsession.PreparedQuery;
import org.pgsession.ResultSet;
import org.pgsession.Session;
import org.pgsession.SimpleQuery;
import org.pgsession.it.Await;
import org.pgsession.it.ResultRecorder;
import org.pgsession.it.Sessions;

/** Big results and values, server-side errors and terminations of a real server. */
class RobustnessTest extends CoreTestBase {

  @Test
  void fiftyThousandRowsOverBothProtocols() {
    Session s = open().session();
    ResultSet simple = (ResultSet) run(s, "SELECT g, 'row ' || g AS label FROM generate_series(1, 50000) g");
    assertThat(simple.rows().size()).isEqualTo(50_000);
    assertThat(simple.rows().get(49_999).getInteger("g")).isEqualTo(50_000);
    assertThat(simple.rows().get(49_999).getString("label")).isEqualTo("row 50000");
    ResultSet ext = (ResultSet) run(s, PreparedQuery.of("SELECT g::int8 FROM generate_series(1, $1::int4) g", 50_000));
    assertThat(ext.rows().size()).isEqualTo(50_000);
    assertThat(ext.rows().stream().mapToLong(r -> r.getLong(0)).sum()).isEqualTo(1_250_025_000L);
  }

  @Test
  void multiMegabyteValuesBothWays() {
    Session s = open().session();
    String big = "é".repeat(3_000_000); // 6 MB of UTF-8
    assertThat(scalar(s, "SELECT length(repeat('é', 3000000))")).isEqualTo(3_000_000);
    assertThat(scalar(s, PreparedQuery.of("SELECT $1::text", big))).isEqualTo(big);
    assertThat(scalar(s, PreparedQuery.of("SELECT octet_length($1::text)", big))).isEqualTo(6_000_000);
    assertThat(scalar(s, new SimpleQuery("SELECT '" + big + "'"))).isEqualTo(big);
  }

  @Test
  void unicodeRoundTripsInSqlAndParameters() {
    Session s = open().session();
    String text = "zürich 東京 🐘 \u0001";
    assertThat(scalar(s, PreparedQuery.of("SELECT $1::text", text))).isEqualTo(text);
    assertThat(scalar(s, "SELECT 'zürich 東京 🐘' AS \"列\"")).isEqualTo("zürich 東京 🐘");
    assertThat(((ResultSet) run(s, "SELECT 1 AS \"列\"")).rows().columns().get(0).name()).isEqualTo("列");
  }

  @Test
  void serverStatementTimeoutFailsTheQueryOnly() {
    Session s = open().session();
    run(s, "SET statement_timeout = '100ms'");
    ErrorResponseMessage e = runFailing(s, new SimpleQuery("SELECT pg_sleep(10)"));
    assertThat(e.code()).isEqualTo("57014");
    run(s, "SET statement_timeout = 0");
    assertStillWorks(s);
  }

  @Test
  void idleSessionTerminatedByAdministratorShutsDownOnce() {
    Sessions.Open victim = open();
    Sessions.Open admin = open();
    int pid = (Integer) scalar(victim.session(), "SELECT pg_backend_pid()");
    assertThat(scalar(admin.session(), PreparedQuery.of("SELECT pg_terminate_backend($1::int4)", pid))).isEqualTo(true);
    Await.until("victim shut down", victim.events()::isShutdown);
    assertThat(victim.events().events).containsExactly("connected", "authenticated", "shutdown");
    ResultRecorder after = recorder("after termination");
    victim.session().execute(new SimpleQuery("SELECT 1"), after);
    assertThat(after.awaitFailure()).isEqualTo(new ClientQueryError.SessionClosed());
  }

  @Test
  void busySessionTerminatedByAdministratorFailsInFlightAndQueued() {
    Sessions.Open victim = open();
    Sessions.Open admin = open();
    int pid = (Integer) scalar(victim.session(), "SELECT pg_backend_pid()");
    ResultRecorder slow = recorder("in flight");
    ResultRecorder queued = recorder("queued");
    victim.session().execute(new SimpleQuery("SELECT pg_sleep(30)"), slow);
    victim.session().execute(PreparedQuery.of("SELECT $1::int4", 1), queued);
    Await.until("sleeping", () -> Boolean.TRUE.equals(scalar(admin.session(), PreparedQuery.of(
        "SELECT count(*) = 1 FROM pg_stat_activity WHERE pid = $1::int4 AND query LIKE 'SELECT pg_sleep%'", pid))));
    scalar(admin.session(), PreparedQuery.of("SELECT pg_terminate_backend($1::int4)", pid));
    Await.until("victim shut down", victim.events()::isShutdown);
    // The in-flight query gets the server's FATAL error (57P01) or SessionClosed, never both.
    assertThat(slow.failures).singleElement().satisfies(f -> {
      if (f instanceof ErrorResponseMessage e) {
        assertThat(e.code()).isEqualTo("57P01");
      } else {
        assertThat(f).isEqualTo(new ClientQueryError.SessionClosed());
      }
    });
    assertThat(queued.failures).containsExactly(new ClientQueryError.SessionClosed());
  }
}
