package org.pgsession.it.ops;

import org.pgsession.invariants.SessionInvariants;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgsession.CopyInReceiver;
import org.pgsession.CopyOutReceiver;
import org.pgsession.ErrorResponseMessage;
import org.pgsession.ExtendedQuery;
import org.pgsession.PipelineReceiver;
import org.pgsession.PreparedQuery;
import org.pgsession.QueryFailure;
import org.pgsession.Result;
import org.pgsession.ResultSet;
import org.pgsession.Rows;
import org.pgsession.Session;
import org.pgsession.SimpleQuery;
import org.pgsession.StreamingResultReceiver;
import org.pgsession.it.Await;
import org.pgsession.it.ResultRecorder;
import org.pgsession.it.Sessions;
import org.pgsession.testkit.PgTestExtension;

@ExtendWith(PgTestExtension.class)
@ExtendWith(SessionInvariants.class) // no driver channel or timer may outlive a test
class OpsSmokeTest {

  static final class CopyIn implements CopyInReceiver {
    final int chunks;
    int sent;
    final AtomicLong count = new AtomicLong(-1);
    final List<QueryFailure> failures = new CopyOnWriteArrayList<>();
    final AtomicInteger terminal = new AtomicInteger();
    final String bad;

    CopyIn(int chunks, String bad) {
      this.chunks = chunks;
      this.bad = bad;
    }

    @Override
    public void pgCopyReady(Session s) {
      if (sent < chunks) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
          sb.append(sent * 1000 + i).append('\n');
        }
        if (bad != null && sent == chunks / 2) {
          sb.append(bad).append('\n');
        }
        sent++;
        s.sendCopyData(sb.toString().getBytes(StandardCharsets.UTF_8));
      } else {
        s.finishCopy();
      }
    }

    @Override
    public void pgCopyComplete(Session s, long c) {
      count.set(c);
      terminal.incrementAndGet();
    }

    @Override
    public void pgCopyFailed(Session s, QueryFailure f) {
      failures.add(f);
      terminal.incrementAndGet();
    }
  }

  @Test
  void copyInCopyOutStreamPipelineAndCancel() {
    try (Sessions.Open o = Sessions.open()) {
      Session s = o.session();
      ResultRecorder ddl = new ResultRecorder();
      s.execute(new SimpleQuery("CREATE TEMP TABLE ci(a int)"), ddl);
      ddl.awaitResult();

      CopyIn in = new CopyIn(100, null);
      s.copyIn("COPY ci FROM STDIN", in);
      Await.until("copy in", () -> in.terminal.get() == 1);
      assertThat(in.failures).isEmpty();
      assertThat(in.count.get()).isEqualTo(100_000);

      CopyIn badIn = new CopyIn(10, "not-a-number");
      s.copyIn("COPY ci FROM STDIN", badIn);
      Await.until("bad copy in", () -> badIn.terminal.get() == 1);
      assertThat(((ErrorResponseMessage) badIn.failures.get(0)).code()).isEqualTo("22P02");

      AtomicLong bytes = new AtomicLong();
      AtomicLong outCount = new AtomicLong(-1);
      s.copyOut("COPY ci TO STDOUT", new CopyOutReceiver() {
        public void pgCopyData(Session ss, byte[] d) {
          bytes.addAndGet(d.length);
        }

        public void pgCopyComplete(Session ss, long c) {
          outCount.set(c);
        }

        public void pgCopyFailed(Session ss, QueryFailure f) {
          outCount.set(-2);
        }
      });
      Await.until("copy out", () -> outCount.get() != -1);
      assertThat(outCount.get()).isEqualTo(100_000);

      List<Integer> batches = new CopyOnWriteArrayList<>();
      AtomicInteger done = new AtomicInteger();
      s.stream(PreparedQuery.of("SELECT g FROM generate_series(1, $1::int4) g", 1050), 100,
          new StreamingResultReceiver() {
            public void pgStreamBatch(Session ss, Rows rows) {
              batches.add(rows.size());
              ss.fetchMore();
            }

            public void pgStreamComplete(Session ss) {
              done.incrementAndGet();
            }

            public void pgStreamFailed(Session ss, ExtendedQuery q, QueryFailure f) {
              done.addAndGet(100);
            }
          });
      Await.until("stream", () -> done.get() > 0);
      assertThat(done.get()).isEqualTo(1);
      assertThat(batches.stream().mapToInt(Integer::intValue).sum()).isEqualTo(1050);
      assertThat(batches).allMatch(b -> b <= 100).hasSize(11);

      List<String> events = new CopyOnWriteArrayList<>();
      List<ExtendedQuery> qs = new ArrayList<>();
      qs.add(PreparedQuery.of("SELECT 1"));
      qs.add(PreparedQuery.of("SELECT 1/0"));
      qs.add(PreparedQuery.of("SELECT $1::int4", 3));
      s.pipeline(qs, new PipelineReceiver() {
        public void pgPipelineResult(Session ss, int i, Result r) {
          events.add("ok" + i);
        }

        public void pgPipelineFailed(Session ss, int i, ExtendedQuery q, QueryFailure f) {
          events.add("fail" + i + ":" + ((ErrorResponseMessage) f).code());
        }

        public void pgPipelineComplete(Session ss) {
          events.add("complete");
        }
      });
      Await.until("pipeline", () -> events.contains("complete"));
      assertThat(events).containsExactly("ok0", "fail1:22012", "ok2", "complete");

      ResultRecorder slow = new ResultRecorder();
      long t0 = System.nanoTime();
      s.execute(new SimpleQuery("SELECT pg_sleep(30)"), slow, Duration.ofMillis(300));
      ResultRecorder after = new ResultRecorder();
      s.execute(new SimpleQuery("SELECT 7"), after);
      assertThat(((ErrorResponseMessage) slow.awaitFailure()).code()).isEqualTo("57014");
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
      assertThat(((ResultSet) after.awaitResult()).rows().get(0).getInteger(0)).isEqualTo(7);
    }
  }
}
