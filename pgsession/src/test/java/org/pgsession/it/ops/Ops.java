package org.pgsession.it.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.pgsession.PreparedQuery;
import org.pgsession.ResultSet;
import org.pgsession.Session;
import org.pgsession.SimpleQuery;
import org.pgsession.it.Await;
import org.pgsession.it.ResultRecorder;

/** Small helpers shared by the operation tests. */
final class Ops {
  private Ops() {}

  /** Runs SQL (simple protocol) and waits for its first result; fails on an error. */
  static ResultSet sql(Session s, String sql) {
    ResultRecorder r = new ResultRecorder();
    s.execute(new SimpleQuery(sql), r);
    return r.awaitResult() instanceof ResultSet rs ? rs : null;
  }

  /** @return the session's backend pid */
  static int pid(Session s) {
    return sql(s, "SELECT pg_backend_pid()").rows().get(0).getInteger(0);
  }

  /** Asserts the session still answers queries. */
  static void assertUsable(Session s) {
    ResultRecorder r = new ResultRecorder();
    s.execute(PreparedQuery.of("SELECT $1::int4 + 1", 41), r);
    assertThat(((ResultSet) r.awaitResult()).rows().get(0).getInteger(0)).isEqualTo(42);
  }

  /** Waits (polling from {@code admin}) until backend {@code pid} matches {@code condition}. */
  static void awaitBackend(Session admin, int pid, String condition) {
    Await.until("backend " + pid + " " + condition, () -> {
      ResultRecorder r = new ResultRecorder();
      admin.execute(PreparedQuery.of(
          "SELECT count(*)::int4 FROM pg_stat_activity WHERE pid = $1 AND " + condition, pid), r);
      return ((ResultSet) r.awaitResult()).rows().get(0).getInteger(0) == 1;
    });
  }

  /** Waits until backend {@code pid} sleeps in pg_sleep. */
  static void awaitSleeping(Session admin, int pid) {
    awaitBackend(admin, pid, "wait_event = 'PgSleep'");
  }
}
