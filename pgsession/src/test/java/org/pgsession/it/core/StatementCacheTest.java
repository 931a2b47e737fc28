package org.pgsession.it.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.pgsession.PreparedQuery;
import org.pgsession.ResultSet;
import org.pgsession.Row;
import org.pgsession.Session;
import org.pgsession.types.RawBytes;

/**
 * The driver remembers an unnamed statement's result columns (to ask for binary where it can
 * decode it); these prove that memory never breaks a query when the schema changes under it.
 */
class StatementCacheTest extends CoreTestBase {

  @Test
  void selectStarStillWorksAfterAColumnIsAdded() {
    Session s = open().session();
    // int4 decodes in binary, point only in text: the result formats are per column.
    run(s, "CREATE TEMP TABLE w(a int, b point)");
    run(s, "INSERT INTO w VALUES (1, '(1,2)')");
    PreparedQuery q = PreparedQuery.of("SELECT * FROM w WHERE a = $1", 1);
    Row first = ((ResultSet) run(s, q)).rows().get(0);
    assertThat(first.get("a")).isEqualTo(1);
    assertThat(first.get("b")).isEqualTo("(1,2)");
    run(s, "ALTER TABLE w ADD COLUMN c int DEFAULT 3");
    Row second = ((ResultSet) run(s, q)).rows().get(0);
    assertThat(second.get("a")).isEqualTo(1);
    assertThat(second.get("b")).isEqualTo("(1,2)");
    assertThat(second.get("c")).isEqualTo(3);
  }

  @Test
  void selectStarStillWorksAfterAColumnIsDropped() {
    Session s = open().session();
    run(s, "CREATE TEMP TABLE v(a int, b point, c int)");
    run(s, "INSERT INTO v VALUES (1, '(1,2)', 3)");
    PreparedQuery q = PreparedQuery.of("SELECT * FROM v WHERE a = $1", 1);
    assertThat(((ResultSet) run(s, q)).rows().get(0).get("c")).isEqualTo(3);
    run(s, "ALTER TABLE v DROP COLUMN b");
    Row row = ((ResultSet) run(s, q)).rows().get(0);
    assertThat(row.get("a")).isEqualTo(1);
    assertThat(row.get("c")).isEqualTo(3);
  }

  @Test
  void columnTypeChangeGivesTheNewTypesValue() {
    Session s = open().session();
    run(s, "CREATE TEMP TABLE x(a int, b int)");
    run(s, "INSERT INTO x VALUES (1, 2)");
    PreparedQuery q = PreparedQuery.of("SELECT * FROM x WHERE a = $1", 1);
    assertThat(((ResultSet) run(s, q)).rows().get(0).get("b")).isEqualTo(2);
    run(s, "ALTER TABLE x ALTER COLUMN b TYPE point USING point(b, b)");
    // The first run after the change cannot know the new type before its Bind: it may still ask
    // for binary, which for a type without a binary codec is RawBytes. It must not fail, and
    // from then on the driver knows the new columns.
    Object once = ((ResultSet) run(s, q)).rows().get(0).get("b");
    if (!"(2,2)".equals(once)) {
      assertThat(once).isInstanceOfSatisfying(RawBytes.class, raw -> assertThat(raw.oid()).isEqualTo(600));
    }
    assertThat(((ResultSet) run(s, q)).rows().get(0).get("b")).isEqualTo("(2,2)");
  }

  @Test
  void multipleStatementsInPreparedQueryAreRefused() {
    Session s = open().session();
    assertThat(runFailing(s, PreparedQuery.of("SELECT 1; SELECT 2")).code()).isEqualTo("42601");
    assertStillWorks(s);
  }
}
