package org.pgsession.it.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.pgsession.ClientQueryError;
import org.pgsession.ErrorResponseMessage;
import org.pgsession.ExtendedQuery;
import org.pgsession.NamedPreparedQuery;
import org.pgsession.PreparedQuery;
import org.pgsession.QueryFailure;
import org.pgsession.ResultSet;
import org.pgsession.Row;
import org.pgsession.Rows;
import org.pgsession.Session;
import org.pgsession.SessionOptions;
import org.pgsession.StreamingResultReceiver;
import org.pgsession.it.Await;

/**
 * The automatic statement cache against a real server: statements become driver-named server
 * statements (visible in {@code pg_prepared_statements}), the cache stays bounded, the server's
 * invalidations (DDL, DEALLOCATE ALL, DISCARD ALL) are absorbed outside a transaction block and
 * reported inside one, size 0 creates no named statement, user names never collide.
 */
class AutomaticStatementCacheTest extends CoreTestBase {

  private long driverStatements(Session s) {
    return ((Number) scalar(s, "SELECT count(*) FROM pg_prepared_statements WHERE name LIKE '\\_pgs%'")).longValue();
  }

  @Test
  void aRepeatedQueryRunsThroughOneNamedStatement() {
    Session s = open().session();
    PreparedQuery q = PreparedQuery.of("SELECT $1::int4 + 1 AS n", 41);
    for (int i = 0; i < 3; i++) {
      assertThat(scalar(s, q)).isEqualTo(42);
    }
    ResultSet rs = (ResultSet) run(s,
        "SELECT name, statement FROM pg_prepared_statements WHERE name LIKE '\\_pgs%'");
    assertThat(rs.rows().size()).isEqualTo(1);
    assertThat(rs.rows().get(0).get("statement")).isEqualTo("SELECT $1::int4 + 1 AS n");
    // Binary results for a decodable type come from the cached formats.
    assertThat(rs.rows().size()).isEqualTo(1);
    ResultSet again = (ResultSet) run(s, q);
    assertThat(again.rows().columns().get(0).format()).isEqualTo((short) 1);
  }

  @Test
  void columnChangeIsAbsorbedOutsideATransactionBlock() {
    Session s = open().session();
    run(s, "CREATE TEMP TABLE w(a int, b text)");
    run(s, "INSERT INTO w VALUES (1, 'one')");
    PreparedQuery q = PreparedQuery.of("SELECT * FROM w WHERE a = $1", 1);
    run(s, q);
    run(s, q);
    run(s, "ALTER TABLE w ADD COLUMN c int DEFAULT 3");
    Row row = ((ResultSet) run(s, q)).rows().get(0); // the server says 0A000; the driver re-prepares
    assertThat(row.get("b")).isEqualTo("one");
    assertThat(row.get("c")).isEqualTo(3);
    assertThat(driverStatements(s)).isEqualTo(1); // the rejected statement was closed
  }

  @Test
  void columnChangeInsideATransactionBlockIsReportedAndTheEntryDropped() {
    Session s = open().session();
    run(s, "CREATE TABLE IF NOT EXISTS cache_ddl_in_block(a int)");
    run(s, "TRUNCATE cache_ddl_in_block");
    run(s, "INSERT INTO cache_ddl_in_block VALUES (1)");
    try {
      PreparedQuery q = PreparedQuery.of("SELECT * FROM cache_ddl_in_block WHERE a = $1", 1);
      run(s, q);
      run(s, "BEGIN");
      run(s, "ALTER TABLE cache_ddl_in_block ADD COLUMN b int DEFAULT 2");
      assertThat(runFailing(s, q).code()).isEqualTo("0A000");
      run(s, "ROLLBACK");
      Row row = ((ResultSet) run(s, q)).rows().get(0);
      assertThat(row.get("a")).isEqualTo(1);
    } finally {
      run(s, "DROP TABLE cache_ddl_in_block");
    }
  }

  @Test
  void deallocateAllAndDiscardAllAreAbsorbedOutsideABlock() {
    Session s = open().session();
    PreparedQuery q = PreparedQuery.of("SELECT $1::int8 * 2 AS n", 21L);
    assertThat(scalar(s, q)).isEqualTo(42L);
    run(s, "DEALLOCATE ALL");
    assertThat(scalar(s, q)).isEqualTo(42L); // 26000, re-prepared
    run(s, "DISCARD ALL");
    assertThat(scalar(s, q)).isEqualTo(42L);
    assertThat(driverStatements(s)).isEqualTo(1);
  }

  @Test
  void deallocateAllInsideABlockIsReported() {
    Session s = open().session();
    PreparedQuery q = PreparedQuery.of("SELECT $1::int4 AS n", 5);
    assertThat(scalar(s, q)).isEqualTo(5);
    run(s, "BEGIN");
    run(s, "DEALLOCATE ALL");
    assertThat(runFailing(s, q).code()).isEqualTo("26000");
    run(s, "ROLLBACK");
    assertThat(scalar(s, q)).isEqualTo(5);
  }

  @Test
  void evictionClosesServerStatements() {
    Session s = open(SessionOptions.defaults().withStatementCacheSize(3)).session();
    for (int i = 0; i < 10; i++) {
      assertThat(scalar(s, PreparedQuery.of("SELECT $1::int4 + " + i, 1))).isEqualTo(1 + i);
      assertThat(driverStatements(s)).isLessThanOrEqualTo(3);
    }
    assertThat(driverStatements(s)).isEqualTo(3);
    // The most recent ones are still cached and still work.
    assertThat(scalar(s, PreparedQuery.of("SELECT $1::int4 + 9", 1))).isEqualTo(10);
    assertThat(driverStatements(s)).isEqualTo(3);
  }

  @Test
  void sizeZeroCreatesNoNamedStatements() {
    Session s = open(SessionOptions.defaults().withStatementCacheSize(0)).session();
    PreparedQuery q = PreparedQuery.of("SELECT $1::int4 AS n", 3);
    for (int i = 0; i < 3; i++) {
      assertThat(scalar(s, q)).isEqualTo(3);
    }
    assertThat(scalar(s, "SELECT count(*) FROM pg_prepared_statements")).isEqualTo(0L);
  }

  @Test
  void userStatementNamesNeverCollideWithTheDriversOwn() {
    Session s = open().session();
    assertThat(scalar(s, PreparedQuery.of("SELECT $1::int4 AS n", 1))).isEqualTo(1);
    PrepareRecorder reserved = prepareRecorder("reserved");
    s.prepare("_pgs0", "SELECT 2", reserved);
    Await.until("prepare answered", () -> reserved.callbacks.get() > 0);
    assertThat(reserved.failures).singleElement().isInstanceOfSatisfying(ClientQueryError.DataError.class,
        e -> assertThat(e.message()).contains("reserved"));
    // Other names work side by side with cached statements.
    PrepareRecorder mine = prepareRecorder("mine");
    s.prepare("pgs0", "SELECT $1::int4 * 10 AS n", mine);
    mine.awaitPrepared();
    assertThat(scalar(s, NamedPreparedQuery.of("pgs0", 4))).isEqualTo(40);
    assertThat(scalar(s, PreparedQuery.of("SELECT $1::int4 AS n", 1))).isEqualTo(1);
  }

  @Test
  void aFailingFirstUseLeavesNothingBehind() {
    Session s = open().session();
    assertThat(runFailing(s, PreparedQuery.of("SELEC $1")).code()).isEqualTo("42601");
    // Parse succeeds, execution fails: the statement stays cached and usable.
    PreparedQuery div = PreparedQuery.of("SELECT 1 / $1::int4 AS n", 0);
    assertThat(runFailing(s, div).code()).isEqualTo("22012");
    assertThat(scalar(s, PreparedQuery.of("SELECT 1 / $1::int4 AS n", 1))).isEqualTo(1);
    assertThat(driverStatements(s)).isEqualTo(1);
  }

  @Test
  void streamsUseTheCacheAndSurviveInvalidation() {
    Session s = open().session();
    PreparedQuery q = PreparedQuery.of("SELECT g FROM generate_series(1, $1::int4) g", 25);
    assertThat(streamAll(s, q)).isEqualTo(25);
    assertThat(streamAll(s, q)).isEqualTo(25);
    assertThat(driverStatements(s)).isEqualTo(1);
    run(s, "DEALLOCATE ALL");
    assertThat(streamAll(s, q)).isEqualTo(25);
    assertThat(driverStatements(s)).isEqualTo(1);
  }

  /** Streams in windows of 10. @return the number of rows */
  private int streamAll(Session s, ExtendedQuery q) {
    AtomicInteger rows = new AtomicInteger();
    AtomicInteger terminal = new AtomicInteger();
    List<QueryFailure> failures = new CopyOnWriteArrayList<>();
    track("stream " + q, terminal::get, 1);
    s.stream(q, 10, new StreamingResultReceiver() {
      @Override
      public void pgStreamBatch(Session session, Rows batch) {
        rows.addAndGet(batch.size());
        session.fetchMore();
      }

      @Override
      public void pgStreamComplete(Session session) {
        terminal.incrementAndGet();
      }

      @Override
      public void pgStreamFailed(Session session, ExtendedQuery query, QueryFailure failure) {
        failures.add(failure);
        terminal.incrementAndGet();
      }
    });
    Await.until("stream ended", () -> terminal.get() > 0);
    assertThat(failures).isEmpty();
    return rows.get();
  }

  @Test
  void transparentRetryDoesNotHideRealErrors() {
    Session s = open().session();
    run(s, "CREATE TEMP TABLE r(a int)");
    PreparedQuery q = PreparedQuery.of("SELECT * FROM r WHERE a = $1", 1);
    run(s, q);
    run(s, "DROP TABLE r");
    ErrorResponseMessage e = runFailing(s, q);
    assertThat(e.code()).isEqualTo("42P01"); // re-prepared once, then the real error is reported
    assertStillWorks(s);
  }
}
