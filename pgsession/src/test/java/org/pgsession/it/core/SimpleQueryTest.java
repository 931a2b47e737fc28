package org.pgsession.it.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.pgsession.ErrorResponseMessage;
import org.pgsession.Result;
import org.pgsession.ResultSet;
import org.pgsession.Row;
import org.pgsession.RowModifying;
import org.pgsession.Session;
import org.pgsession.SimpleQuery;
import org.pgsession.SimpleResult;
import org.pgsession.it.ResultRecorder;

/** Simple-protocol results of every kind, and server errors with their fields. */
class SimpleQueryTest extends CoreTestBase {

  @Test
  void multiStatementDeliversEveryResultKindInOrder() {
    Session s = open().session();
    SimpleQuery q = new SimpleQuery("CREATE TEMP TABLE t(a int); INSERT INTO t VALUES (1),(2); "
        + "SELECT a FROM t ORDER BY a; UPDATE t SET a = a + 1; ; DELETE FROM t");
    // PostgreSQL drops the empty statement between the two semicolons: no EmptyQueryResponse.
    ResultRecorder r = recorder("multi-statement", 5);
    s.execute(q, r);
    r.awaitResults(5);
    assertStillWorks(s); // everything of the multi-statement query has arrived by now
    assertThat(r.failures).isEmpty();
    List<Result> results = r.results;
    assertThat(results).hasSize(5);
    assertThat(results.get(0)).isEqualTo(new RowModifying(q, "CREATE TABLE", 0));
    assertThat(results.get(1)).isEqualTo(new RowModifying(q, "INSERT", 2));
    assertThat(results.get(2)).isInstanceOf(ResultSet.class);
    ResultSet rs = (ResultSet) results.get(2);
    assertThat(rs.query()).isEqualTo(q);
    assertThat(rs.command()).isEqualTo("SELECT");
    assertThat(rs.rows().columns()).singleElement().satisfies(c -> {
      assertThat(c.name()).isEqualTo("a");
      assertThat(c.typeOid()).isEqualTo(23);
      assertThat(c.format()).isEqualTo((short) 0);
    });
    assertThat(rs.rows().stream().map(row -> row.getInteger("a")).toList()).containsExactly(1, 2);
    assertThat(results.get(3)).isEqualTo(new RowModifying(q, "UPDATE", 2));
    assertThat(results.get(4)).isEqualTo(new RowModifying(q, "DELETE", 2));
  }

  @Test
  void emptyQueryGivesSimpleResult() {
    Session s = open().session();
    SimpleQuery q = new SimpleQuery("");
    assertThat(run(s, q)).isEqualTo(new SimpleResult(q));
    assertStillWorks(s);
  }

  @Test
  void semicolonOnlyQueryGivesSimpleResult() {
    Session s = open().session();
    SimpleQuery q = new SimpleQuery(" ; ");
    assertThat(run(s, q)).isEqualTo(new SimpleResult(q));
    assertStillWorks(s);
  }

  @Test
  void selectWithoutRowsIsAnEmptyResultSet() {
    Session s = open().session();
    Result r = run(s, "SELECT 1 AS x WHERE false");
    assertThat(r).isInstanceOf(ResultSet.class);
    assertThat(((ResultSet) r).rows().size()).isZero();
    assertThat(((ResultSet) r).rows().columns()).hasSize(1);
  }

  @Test
  void undefinedTableErrorCarriesItsFields() {
    Session s = open().session();
    ErrorResponseMessage e = runFailing(s, new SimpleQuery("SELECT * FROM no_such_table"));
    assertThat(e.severity()).isEqualTo("ERROR");
    assertThat(e.localizedSeverity()).isEqualTo("ERROR");
    assertThat(e.code()).isEqualTo("42P01");
    assertThat(e.message()).isEqualTo("relation \"no_such_table\" does not exist");
    assertThat(e.position()).isEqualTo("15");
    assertThat(e.file()).isNotNull();
    assertThat(e.line()).isNotNull();
    assertThat(e.routine()).isNotNull();
    assertThat(e.constraintName()).isNull();
    assertStillWorks(s);
  }

  @Test
  void uniqueViolationCarriesConstraintTableSchemaAndDetail() {
    Session s = open().session();
    run(s, "CREATE TEMP TABLE u(id int CONSTRAINT u_pk PRIMARY KEY)");
    run(s, "INSERT INTO u VALUES (1)");
    ErrorResponseMessage e = runFailing(s, new SimpleQuery("INSERT INTO u VALUES (1)"));
    assertThat(e.severity()).isEqualTo("ERROR");
    assertThat(e.code()).isEqualTo("23505");
    assertThat(e.constraintName()).isEqualTo("u_pk");
    assertThat(e.tableName()).isEqualTo("u");
    assertThat(e.schemaName()).startsWith("pg_temp");
    assertThat(e.detail()).isEqualTo("Key (id)=(1) already exists.");
    assertThat(e.message()).contains("u_pk");
    assertStillWorks(s);
  }

  @Test
  void failureInTheMiddleEndsMultiStatementQuery() {
    Session s = open().session();
    SimpleQuery q = new SimpleQuery("SELECT 1 AS one; SELECT * FROM no_such_table; SELECT 3 AS three");
    ResultRecorder r = recorder("failing multi-statement", 2);
    s.execute(q, r);
    r.awaitFailure();
    assertStillWorks(s); // nothing more of q can arrive after this
    assertThat(r.results).singleElement().isInstanceOf(ResultSet.class);
    Row row = ((ResultSet) r.results.get(0)).rows().get(0);
    assertThat(row.getInteger("one")).isEqualTo(1);
    assertThat(r.failures).singleElement().isInstanceOfSatisfying(ErrorResponseMessage.class,
        e -> assertThat(e.code()).isEqualTo("42P01"));
    assertThat(r.callbacks.get()).isEqualTo(2);
  }

  @Test
  void failedStatementRollsBackEarlierStatementsOfTheSameQuery() {
    Session s = open().session();
    run(s, "CREATE TEMP TABLE r(a int)");
    ResultRecorder r = recorder("implicit transaction", 2);
    s.execute(new SimpleQuery("INSERT INTO r VALUES (1); SELECT 1/0"), r);
    assertThat(r.awaitFailure()).isInstanceOfSatisfying(ErrorResponseMessage.class,
        e -> assertThat(e.code()).isEqualTo("22012"));
    assertThat(r.results).singleElement().isInstanceOf(RowModifying.class);
    assertThat(scalar(s, "SELECT count(*) FROM r")).isEqualTo(0L);
  }
}
