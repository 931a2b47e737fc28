package org.pgsession.it.ops;

import org.pgsession.invariants.SessionInvariants;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgsession.ExtendedQuery;
import org.pgsession.NamedPreparedQuery;
import org.pgsession.PreparedQuery;
import org.pgsession.Query;
import org.pgsession.QueryFailure;
import org.pgsession.Result;
import org.pgsession.ResultSet;
import org.pgsession.RowModifying;
import org.pgsession.Session;
import org.pgsession.SessionOptions;
import org.pgsession.SimpleQuery;
import org.pgsession.internal.session.SessionProbe;
import org.pgsession.it.Await;
import org.pgsession.it.NotifyRecorder;
import org.pgsession.it.ResultRecorder;
import org.pgsession.it.Sessions;
import org.pgsession.testkit.PgTestExtension;
import org.pgsession.types.CodecRegistry;

/**
 * Pipelining of ordinary operations: the same callbacks in the same order as without it, the
 * barriers (statement timeout, COPY, pipeline, batch) keep their guarantees, and cancel() never
 * reaches an operation written after it was called.
 */
@ExtendWith(PgTestExtension.class)
@ExtendWith(SessionInvariants.class) // no driver channel or timer may outlive a test
class PipeliningTest {

  static Sessions.Open open(boolean pipelining) {
    NotifyRecorder n = new NotifyRecorder();
    Session s = Session.connect(Sessions.plain(), Sessions.superuser(), n, CodecRegistry.defaults(),
        SessionOptions.defaults().withPipelining(pipelining));
    Await.until("session ready", () -> n.ready() || n.isShutdown());
    assertThat(n.ready()).as("ready: %s", n.events).isTrue();
    return new Sessions.Open(s, n);
  }

  /** Records every callback of every operation of one run, tagged with the operation's number. */
  static final class Log {
    final List<String> events = new CopyOnWriteArrayList<>();
    final AtomicInteger terminals = new AtomicInteger();

    Rec rec(int op) {
      return new Rec() {
        @Override
        public void pgQueryResult(Session s, Result r) {
          Log.this.events.add(op + ":result:" + describe(r));
          terminals.incrementAndGet(); // every execute below has one statement or counts all
        }

        @Override
        public void pgQueryFailed(Session s, Query q, QueryFailure f) {
          Log.this.events.add(op + ":failed:" + code(f));
          terminals.incrementAndGet();
        }

        @Override
        public void pgStatementPrepared(Session s, String name) {
          Log.this.events.add(op + ":prepared:" + name);
          terminals.incrementAndGet();
        }

        @Override
        public void pgPrepareFailed(Session s, String name, QueryFailure f) {
          Log.this.events.add(op + ":prepareFailed:" + code(f));
          terminals.incrementAndGet();
        }

        @Override
        public void pgCopyReady(Session s) {
          if (readyCalls.getAndIncrement() == 0) {
            s.sendCopyData("1\tone\n2\ttwo\n".getBytes(StandardCharsets.UTF_8));
          } else {
            s.finishCopy();
          }
        }

        @Override
        public void pgCopyData(Session s, byte[] data) {
          Log.this.events.add(op + ":copyData:" + new String(data, StandardCharsets.UTF_8).trim());
        }

        @Override
        public void pgCopyComplete(Session s, long c) {
          Log.this.events.add(op + ":copied:" + c);
          terminals.incrementAndGet();
        }

        @Override
        public void pgCopyFailed(Session s, QueryFailure f) {
          Log.this.events.add(op + ":copyFailed:" + code(f));
          terminals.incrementAndGet();
        }

        @Override
        public void pgPipelineResult(Session s, int index, Result r) {
          Log.this.events.add(op + ":ok" + index + ":" + describe(r));
        }

        @Override
        public void pgPipelineFailed(Session s, int index, ExtendedQuery q, QueryFailure f) {
          Log.this.events.add(op + ":fail" + index + ":" + code(f));
        }

        @Override
        public void pgPipelineComplete(Session s) {
          Log.this.events.add(op + ":complete");
          terminals.incrementAndGet();
        }
      };
    }

    static String describe(Result r) {
      if (r instanceof ResultSet rs) {
        return rs.rows().size() == 0 ? "empty" : String.valueOf(rs.rows().get(0).get(0));
      }
      return r instanceof RowModifying rm ? rm.command() + rm.impacted() : r.getClass().getSimpleName();
    }
  }

  /**
   * Issues a seeded random mix of operations; returns how many terminal callbacks to expect.
   * Prepared names are reused after being closed, statements fail in several ways (server
   * errors, parameters that cannot be encoded, SQL the protocol cannot carry, unknown names).
   */
  static int issueMix(Session s, Log log, int count, long seed) {
    Random rnd = new Random(seed);
    int terminals = 0;
    List<String> prepared = new ArrayList<>();
    int nextName = 0;
    for (int op = 0; op < count; op++) {
      Rec r = log.rec(op);
      int kind = rnd.nextInt(100);
      int v = rnd.nextInt(1000);
      if (op % 2500 == 1250) {
        s.execute(new SimpleQuery("SELECT pg_sleep(10)"), r, Duration.ofMillis(50)); // times out
      } else if (op % 2500 == 1500) {
        s.copyIn("COPY mix FROM STDIN", r);
      } else if (op % 2500 == 1750) {
        s.copyOut("COPY (SELECT count(*) FROM mix) TO STDOUT", r);
      } else if (op % 2500 == 2000) {
        s.pipeline(List.of(PreparedQuery.of("SELECT $1::int4", v), PreparedQuery.of("SELECT 1/0")), r);
      } else if (op % 2500 == 2250) {
        s.batch(List.of(PreparedQuery.of("INSERT INTO mix VALUES ($1, 'b')", v), PreparedQuery.of("SELECT 1/0")), r);
      } else if (kind < 40) {
        s.execute(PreparedQuery.of("SELECT $1::int4 + 1", v), r);
      } else if (kind < 45) {
        s.execute(PreparedQuery.of("SELECT 1 / $1::int4", 0), r);
      } else if (kind < 52) {
        s.execute(new SimpleQuery("SELECT " + v), r);
      } else if (kind < 60) {
        s.execute(PreparedQuery.of("INSERT INTO mix VALUES ($1, $2)", v, "row" + op), r);
      } else if (kind < 63) {
        s.execute(new SimpleQuery("SELECT count(*) FROM mix"), r);
      } else if (kind < 70) {
        String name = "mix" + nextName++;
        s.prepare(name, "SELECT $1::int8 * 2", r);
        prepared.add(name);
      } else if (kind < 80 && !prepared.isEmpty()) {
        s.execute(NamedPreparedQuery.of(prepared.get(rnd.nextInt(prepared.size())), (long) v), r);
      } else if (kind < 85 && !prepared.isEmpty()) {
        s.closeStatement(prepared.remove(rnd.nextInt(prepared.size())));
        continue; // no callback
      } else if (kind < 88) {
        s.execute(NamedPreparedQuery.of("never_prepared", 1), r);
      } else if (kind < 90) {
        s.prepare("bad" + op, "SELEKT 1", r);
      } else if (kind < 93) {
        s.execute(PreparedQuery.of("SELECT $1", new Object()), r); // cannot be encoded
      } else if (kind < 95) {
        s.execute(new SimpleQuery("SELECT 'nul\0'"), r); // the protocol cannot carry it
      } else if (kind < 97) {
        s.execute(new SimpleQuery("BEGIN; SELECT 1; COMMIT"), r);
        terminals += 2; // three results: BEGIN, SELECT, COMMIT
      } else {
        s.execute(PreparedQuery.of("SELECT $1::int4 WHERE false", v), r);
      }
      terminals++;
    }
    return terminals;
  }

  static List<String> runMix(boolean pipelining, int count) {
    try (Sessions.Open o = open(pipelining)) {
      Session s = o.session();
      Ops.sql(s, "CREATE TEMP TABLE mix(id int4, txt text)");
      Log log = new Log();
      int expected = issueMix(s, log, count, 42);
      Await.until("all " + expected + " terminal callbacks", Duration.ofSeconds(240),
          () -> log.terminals.get() >= expected);
      Ops.assertUsable(s);
      assertThat(log.terminals.get()).isEqualTo(expected);
      long most = SessionProbe.mostUnansweredBytes(s);
      assertThat(most).isLessThanOrEqualTo(SessionProbe.maxUnansweredBytes() + 4096);
      if (pipelining) {
        assertThat(most).as("operations were written behind each other").isGreaterThan(2000);
      }
      return log.events;
    }
  }

  @Test
  void tenThousandMixedOperationsGiveTheSameCallbacksAsWithoutPipelining() {
    List<String> sequential = runMix(false, 10_000);
    List<String> pipelined = runMix(true, 10_000);
    assertThat(sequential).contains("1250:failed:57014", "1500:copied:2", "1750:copyData:" + countAt(sequential),
        "2000:fail1:22012", "2250:fail1:22012", "2250:complete");
    assertThat(pipelined).containsExactlyElementsOf(sequential);
  }

  private static String countAt(List<String> events) {
    return events.stream().filter(e -> e.startsWith("1750:copyData:")).findFirst().orElse("?")
        .substring("1750:copyData:".length());
  }

  @Test
  void statementTimeoutOnlyCancelsItsOwnOperation() {
    try (Sessions.Open o = open(true)) {
      Session s = o.session();
      for (int round = 0; round < 5; round++) {
        Log log = new Log();
        s.execute(PreparedQuery.of("SELECT 1 FROM pg_sleep(0.02)"), log.rec(0));
        s.execute(PreparedQuery.of("SELECT 2 FROM pg_sleep(10)"), log.rec(1), Duration.ofMillis(100));
        s.execute(PreparedQuery.of("SELECT 3 FROM pg_sleep(0.2)"), log.rec(2));
        s.execute(PreparedQuery.of("SELECT $1::int4", 4), log.rec(3));
        Await.until("four callbacks", () -> log.terminals.get() == 4);
        assertThat(log.events).containsExactly("0:result:1", "1:failed:57014", "2:result:3", "3:result:4");
      }
    }
  }

  /**
   * A short query, then cancel(), then a longer one, many times: the cancel may hit the first
   * (or nothing, if it already finished) but never the one written after the call.
   */
  @Test
  void cancelNeverHitsAnOperationWrittenAfterIt() {
    try (Sessions.Open o = open(true)) {
      Session s = o.session();
      Ops.assertUsable(s); // the statements' formats are known: both queries are pipelinable
      for (int round = 0; round < 40; round++) {
        Log log = new Log();
        s.execute(PreparedQuery.of("SELECT 0 FROM pg_sleep($1::float8)", round % 4 * 0.005), log.rec(0));
        s.cancel();
        s.execute(PreparedQuery.of("SELECT 1 FROM pg_sleep($1::float8)", 0.05), log.rec(1));
        s.execute(PreparedQuery.of("SELECT $1::int4", round), log.rec(2));
        Await.until("three callbacks", () -> log.terminals.get() == 3);
        assertThat(log.events.get(0)).isIn("0:result:0", "0:failed:57014");
        assertThat(log.events.subList(1, 3)).containsExactly("1:result:1", "2:result:" + round);
      }
    }
  }

  @Test
  void cancelReachesOperationsAlreadyWritten() {
    try (Sessions.Open o = open(true); Sessions.Open admin = Sessions.open()) {
      Session s = o.session();
      int pid = Ops.pid(s);
      Ops.assertUsable(s);
      Log log = new Log();
      s.execute(PreparedQuery.of("SELECT 0 FROM pg_sleep($1::float8)", 30.0), log.rec(0));
      s.execute(PreparedQuery.of("SELECT $1::int4", 7), log.rec(1));
      Ops.awaitSleeping(admin.session(), pid);
      s.cancel();
      Await.until("two callbacks", () -> log.terminals.get() == 2);
      assertThat(log.events).containsExactly("0:failed:57014", "1:result:7");
    }
  }

  @Test
  void failureBeforeWritingWaitsForEarlierCallbacks() {
    try (Sessions.Open o = open(true)) {
      Session s = o.session();
      Ops.assertUsable(s);
      Log log = new Log();
      s.execute(PreparedQuery.of("SELECT $1::int4 FROM pg_sleep(0.2)", 1), log.rec(0));
      s.execute(PreparedQuery.of("SELECT $1::int4 + 1", 1), log.rec(1));
      s.execute(new SimpleQuery("SELECT 'nul\0'"), log.rec(2));
      s.execute(PreparedQuery.of("SELECT $1::int4 + 1", 2), log.rec(3));
      Await.until("four callbacks", () -> log.terminals.get() == 4);
      assertThat(log.events).containsExactly("0:result:1", "1:result:2", "2:failed:DataError", "3:result:3");
    }
  }

  @Test
  void closeFailsEveryWrittenAndQueuedOperationOnce() {
    Log log = new Log();
    int n = 2000;
    try (Sessions.Open o = open(true)) {
      Session s = o.session();
      Ops.assertUsable(s);
      for (int i = 0; i < n; i++) {
        s.execute(PreparedQuery.of("SELECT $1::int4 + 1", i), log.rec(i));
      }
      s.close();
      Await.until("every callback", () -> log.terminals.get() >= n);
    }
    assertThat(log.terminals.get()).isEqualTo(n);
    List<Integer> order = log.events.stream().map(e -> Integer.parseInt(e.substring(0, e.indexOf(':')))).toList();
    assertThat(order).isSorted().doesNotHaveDuplicates();
    assertThat(log.events).allMatch(e -> e.contains(":result:") || e.endsWith(":failed:SessionClosed"));
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
  void copyInStatementsThroughExecuteAreRefusedAndNotPipelined(boolean pipelining) {
    try (Sessions.Open o = open(pipelining)) {
      Session s = o.session();
      Ops.sql(s, "CREATE TEMP TABLE ci(n int4)");
      Log log = new Log();
      s.execute(PreparedQuery.of("COPY ci FROM STDIN"), log.rec(0));
      s.execute(PreparedQuery.of("SELECT $1::int4", 5), log.rec(1));
      s.execute(new SimpleQuery("COPY ci FROM STDIN"), log.rec(2));
      s.execute(PreparedQuery.of("SELECT $1::int4", 6), log.rec(3));
      Await.until("four callbacks", () -> log.terminals.get() == 4);
      assertThat(log.events).containsExactly("0:failed:57014", "1:result:5", "2:failed:57014", "3:result:6");
    }
  }

  @Test
  void executesAfterPrepareUseTheServersParameterTypes() {
    try (Sessions.Open o = open(true)) {
      Session s = o.session();
      Log log = new Log();
      s.prepare("typed", "SELECT $1::int8 + 1", log.rec(0));
      s.execute(NamedPreparedQuery.of("typed", 41), log.rec(1)); // an int sent as the int8 the server expects
      s.closeStatement("typed");
      s.prepare("typed", "SELECT $1::int2 + 1", log.rec(2));
      s.execute(NamedPreparedQuery.of("typed", 9), log.rec(3));
      Await.until("four callbacks", () -> log.terminals.get() == 4);
      assertThat(log.events).containsExactly("0:prepared:typed", "1:result:42", "2:prepared:typed", "3:result:10");
    }
  }
}
