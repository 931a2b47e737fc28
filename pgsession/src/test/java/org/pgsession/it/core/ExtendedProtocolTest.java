package org.pgsession.it.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.pgsession.ErrorResponseMessage;
import org.pgsession.NamedPreparedQuery;
import org.pgsession.PreparedQuery;
import org.pgsession.Result;
import org.pgsession.ResultSet;
import org.pgsession.Row;
import org.pgsession.RowModifying;
import org.pgsession.Session;
import org.pgsession.it.ResultRecorder;

/** Extended-protocol basics: parameters, named statements, their errors. */
class ExtendedProtocolTest extends CoreTestBase {

  @Test
  void preparedQueryBindsIntLongStringAndNull() {
    Session s = open().session();
    Result r = run(s, PreparedQuery.of("SELECT $1::int4 AS i, $2::int8 AS l, $3::text AS s, $4::text AS n, "
        + "$5::int4 IS NULL AS n_is_null", 7, 8_000_000_000L, "zwölf €", null, null));
    Row row = ((ResultSet) r).rows().get(0);
    assertThat(row.get("i")).isEqualTo(7);
    assertThat(row.get("l")).isEqualTo(8_000_000_000L);
    assertThat(row.get("s")).isEqualTo("zwölf €");
    assertThat(row.get("n")).isNull();
    assertThat(row.isNull(3)).isTrue();
    assertThat(row.getBoolean("n_is_null")).isTrue();
  }

  @Test
  void preparedQueryParameterTypesAreSentNotGuessed() {
    Session s = open().session();
    // Integer is sent as int4, Long as int8: the server sees those types without casts.
    assertThat(scalar(s, PreparedQuery.of("SELECT pg_typeof($1)::text", 1))).isEqualTo("integer");
    assertThat(scalar(s, PreparedQuery.of("SELECT pg_typeof($1)::text", 1L))).isEqualTo("bigint");
    // String goes as text with OID 0: the server infers from context.
    assertThat(scalar(s, PreparedQuery.of("SELECT $1 + 1", "41"))).isEqualTo(42);
  }

  @Test
  void preparedQueryRunsDmlWithParameters() {
    Session s = open().session();
    run(s, "CREATE TEMP TABLE p(a int, b text)");
    PreparedQuery ins = PreparedQuery.of("INSERT INTO p VALUES ($1, $2)", 1, "one");
    assertThat(run(s, ins)).isEqualTo(new RowModifying(ins, "INSERT", 1));
    assertThat(run(s, PreparedQuery.of("INSERT INTO p VALUES ($1, $2)", 2, null)))
        .isInstanceOf(RowModifying.class);
    PreparedQuery upd = PreparedQuery.of("UPDATE p SET b = $1 WHERE a >= $2", "x", 1);
    assertThat(run(s, upd)).isEqualTo(new RowModifying(upd, "UPDATE", 2));
    assertThat(scalar(s, PreparedQuery.of("SELECT count(*) FROM p WHERE b = $1", "x"))).isEqualTo(2L);
  }

  @Test
  void namedStatementPreparedAndExecutedManyTimes() {
    Session s = open().session();
    PrepareRecorder p = prepareRecorder("prepare s1");
    s.prepare("s1", "SELECT $1::int4 * 2", p);
    p.awaitPrepared();
    assertThat(p.prepared).containsExactly("s1");
    for (int i = 0; i < 25; i++) {
      assertThat(scalar(s, NamedPreparedQuery.of("s1", 21))).isEqualTo(42);
    }
    assertThat(scalar(s, NamedPreparedQuery.of("s1", -5))).isEqualTo(-10);
    assertThat(scalar(s, NamedPreparedQuery.of("s1", (Object) null))).isNull();
  }

  @Test
  void namedStatementQueuedRightAfterPrepareWorks() {
    Session s = open().session();
    PrepareRecorder p = prepareRecorder("prepare q");
    ResultRecorder r = recorder("execute q");
    s.prepare("q", "SELECT $1::int8 + 1 AS n", p);
    s.execute(NamedPreparedQuery.of("q", 41L), r);
    Result result = r.awaitResult();
    assertThat(p.prepared).containsExactly("q");
    assertThat(((ResultSet) result).rows().get(0).getLong("n")).isEqualTo(42L);
  }

  @Test
  void closedStatementCannotBeExecuted() {
    Session s = open().session();
    // Its own name: behind a transaction-mode pooler a statement outlives the client session.
    PrepareRecorder p = prepareRecorder("prepare s_closed");
    s.prepare("s_closed", "SELECT $1::int4 * 2", p);
    p.awaitPrepared();
    assertThat(scalar(s, NamedPreparedQuery.of("s_closed", 21))).isEqualTo(42);
    s.closeStatement("s_closed");
    ErrorResponseMessage e = runFailing(s, NamedPreparedQuery.of("s_closed", 21));
    assertThat(e.code()).isEqualTo("26000");
    assertThat(e.message()).contains("s_closed");
    assertStillWorks(s);
    // The name is free again.
    PrepareRecorder again = prepareRecorder("prepare s_closed again");
    s.prepare("s_closed", "SELECT $1::int4 * 3", again);
    again.awaitPrepared();
    assertThat(scalar(s, NamedPreparedQuery.of("s_closed", 21))).isEqualTo(63);
  }

  @Test
  void closingAnUnknownStatementIsHarmless() {
    Session s = open().session();
    s.closeStatement("never_prepared");
    assertStillWorks(s);
  }

  @Test
  void duplicateStatementNameFails() {
    Session s = open().session();
    PrepareRecorder first = prepareRecorder("prepare dup");
    s.prepare("dup", "SELECT 1", first);
    first.awaitPrepared();
    PrepareRecorder second = prepareRecorder("prepare dup again");
    s.prepare("dup", "SELECT 'other'", second);
    assertThat(second.awaitServerFailure().code()).isEqualTo("42P05");
    assertStillWorks(s);
    // The first definition is intact.
    assertThat(scalar(s, NamedPreparedQuery.of("dup"))).isEqualTo(1);
  }

  @Test
  void syntaxErrorInPrepareFails() {
    Session s = open().session();
    PrepareRecorder p = prepareRecorder("prepare bad");
    s.prepare("bad", "SELEC $1", p);
    ErrorResponseMessage e = p.awaitServerFailure();
    assertThat(e.code()).isEqualTo("42601");
    assertThat(e.position()).isEqualTo("1");
    assertStillWorks(s);
    assertThat(runFailing(s, NamedPreparedQuery.of("bad", 1)).code()).isEqualTo("26000");
  }

  @Test
  void serverErrorInPreparedQueryLeavesSessionWorking() {
    Session s = open().session();
    assertThat(runFailing(s, PreparedQuery.of("SELECT * FROM no_such_table WHERE x = $1", 1)).code())
        .isEqualTo("42P01");
    assertThat(runFailing(s, PreparedQuery.of("SELECT 1 / $1::int4", 0)).code()).isEqualTo("22012");
    assertStillWorks(s);
    assertThat(scalar(s, PreparedQuery.of("SELECT 1 / $1::int4", 1))).isEqualTo(1);
  }

  @Test
  void wrongParameterCountFails() {
    Session s = open().session();
    PrepareRecorder p = prepareRecorder("prepare two");
    s.prepare("two", "SELECT $1::int4 + $2::int4", p);
    p.awaitPrepared();
    assertThat(runFailing(s, NamedPreparedQuery.of("two", 1)).code()).isEqualTo("08P01");
    assertStillWorks(s);
    assertThat(scalar(s, NamedPreparedQuery.of("two", 1, 2))).isEqualTo(3);
  }
}
