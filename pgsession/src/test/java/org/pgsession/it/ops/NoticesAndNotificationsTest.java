package org.pgsession.it.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgsession.ExtendedQuery;
import org.pgsession.NoticeResponseMessage;
import org.pgsession.PreparedQuery;
import org.pgsession.ResultSet;
import org.pgsession.Rows;
import org.pgsession.Session;
import org.pgsession.it.Await;
import org.pgsession.it.NotifyRecorder;
import org.pgsession.it.Sessions;
import org.pgsession.testkit.PgTestExtension;

@ExtendWith(PgTestExtension.class)
class NoticesAndNotificationsTest {

  /** Counts notices instead of storing them. */
  static final class CountingNotify extends NotifyRecorder {
    final AtomicInteger notices = new AtomicInteger();

    @Override
    public void pgNotice(Session s, NoticeResponseMessage n) {
      notices.incrementAndGet();
    }
  }

  private static PreparedQuery maxParams() {
    int n = 65_535;
    StringBuilder sql = new StringBuilder(n * 8).append("SELECT array_length(ARRAY[");
    Object[] params = new Object[n];
    for (int i = 0; i < n; i++) {
      sql.append(i == 0 ? "" : ",").append('$').append(i + 1);
      params[i] = i;
    }
    sql.append("]::int4[], 1)");
    return PreparedQuery.of(sql.toString(), params);
  }

  /**
   * The server floods notices while the client writes a ~1 MB query: both sides must keep
   * reading while they write, or they deadlock on full socket buffers.
   */
  @Test
  void noticeFloodWhileSendingAQueryWith65535Parameters() {
    CountingNotify notify = new CountingNotify();
    try (Sessions.Open o = Sessions.open(Sessions.plain(), Sessions.superuser(), notify)) {
      Session s = o.session();
      Ops.sql(s, "SET client_min_messages = debug5");
      PreparedQuery big = maxParams();
      String flood = "DO $$BEGIN FOR i IN 1..30000 LOOP RAISE NOTICE 'notice number % with some padding text', i;"
          + " END LOOP; END$$";
      Rec r = new Rec();
      List<ExtendedQuery> qs = new ArrayList<>();
      qs.add(PreparedQuery.of(flood));
      qs.add(big);
      qs.add(PreparedQuery.of(flood));
      qs.add(big);
      s.pipeline(qs, r);
      // 60,000 notices under paranoid leak detection: 10-15 s at load 15 on 2 cores, past the
      // default 30 s at load 34 (a .ci/run); a deadlock still fails, after 3 minutes.
      r.await(java.time.Duration.ofMinutes(3));
      assertThat(r.events).containsExactly("ok0", "ok1", "ok2", "ok3", "complete");
      assertThat(((ResultSet) r.results.get(1)).rows().get(0).getInteger(0)).isEqualTo(65_535);
      assertThat(notify.notices.get()).isGreaterThanOrEqualTo(60_000);

      Rec single = new Rec();
      s.execute(big, single);
      assertThat(single.await().events).containsExactly("result");
      assertThat(((ResultSet) single.results.get(0)).rows().get(0).getInteger(0)).isEqualTo(65_535);
      Ops.sql(s, "RESET client_min_messages");
      Ops.assertUsable(s);
    }
  }

  @Test
  void notificationsDuringStreamAndCopy() {
    try (Sessions.Open o = Sessions.open(); Sessions.Open other = Sessions.open()) {
      Session s = o.session();
      Ops.sql(s, "LISTEN ops_channel");
      int pid = Ops.pid(s);

      // stream suspended between windows; NOTIFY from another session; then finish the stream
      Rec stream = new Rec() {
        @Override
        public void pgStreamBatch(Session ss, Rows rows) {
          super.pgStreamBatch(ss, rows);
          if (batches.size() > 1) {
            ss.fetchMore();
          }
        }
      };
      s.stream(PreparedQuery.of("SELECT g FROM generate_series(1, 50) g"), 10, stream);
      Await.until("first batch", () -> stream.batches.size() == 1);
      Ops.sql(other.session(), "NOTIFY ops_channel, 'during-stream'");
      s.fetchMore();
      stream.await();
      assertThat(stream.events).containsExactly("batch:10", "batch:10", "batch:10", "batch:10", "batch:10",
          "complete");
      Await.until("notification 1", () -> o.events().notifications.size() == 1);
      assertThat(o.events().notifications.get(0).payload()).isEqualTo("during-stream");
      assertThat(o.events().notifications.get(0).pid()).isNotEqualTo(pid);

      // COPY IN in progress (the receiver pauses until the NOTIFY was sent)
      Ops.sql(s, "CREATE TEMP TABLE ci(a int)");
      AtomicInteger gate = new AtomicInteger();
      Session[] held = new Session[1];
      Rec in = new Rec() {
        @Override
        public void pgCopyReady(Session ss) {
          int n = readyCalls.incrementAndGet();
          if (n == 3) {
            held[0] = ss;
            gate.set(1); // pause: answered from the test thread below
          } else if (n < 6) {
            ss.sendCopyData("1\n".getBytes(StandardCharsets.US_ASCII));
          } else {
            ss.finishCopy();
          }
        }
      };
      s.copyIn("COPY ci FROM STDIN", in);
      Await.until("copy paused", () -> gate.get() == 1);
      Ops.sql(other.session(), "NOTIFY ops_channel, 'during-copy-in'");
      s.sendCopyData("2\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(in.await().events).containsExactly("copied:5");
      Await.until("notification 2", () -> o.events().notifications.size() == 2);
      assertThat(o.events().notifications.get(1).payload()).isEqualTo("during-copy-in");

      // COPY OUT of a slow-ish query; NOTIFY arrives while it runs
      Rec out = new Rec();
      s.copyOut("COPY (SELECT g, pg_sleep(0.001) FROM generate_series(1, 300) g) TO STDOUT", out);
      Ops.sql(other.session(), "NOTIFY ops_channel, 'during-copy-out'");
      assertThat(out.await().events).containsExactly("copied:300");
      Await.until("notification 3", () -> o.events().notifications.size() == 3);
      assertThat(o.events().notifications.get(2).payload()).isEqualTo("during-copy-out");
      Ops.assertUsable(s);
    }
  }
}
