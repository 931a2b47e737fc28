package org.pgsession.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code $n} counting skips literals, quoted identifiers, dollar quotes and comments. */
class SqlParametersTest {
  @Test
  void countsTheHighestParameter() {
    assertThat(SqlParameters.count("SELECT 1")).isZero();
    assertThat(SqlParameters.count("INSERT INTO t VALUES ($1, $2)")).isEqualTo(2);
    assertThat(SqlParameters.count("SELECT $2 + $1 + $2")).isEqualTo(2);
    assertThat(SqlParameters.count("SELECT $10")).isEqualTo(10);
  }

  @Test
  void ignoresWhatIsNotAParameter() {
    assertThat(SqlParameters.count("SELECT '$1', \"$2\", $$ $3 $$, $tag$ $4 $tag$ -- $5\n")).isZero();
    assertThat(SqlParameters.count("SELECT /* $1 /* nested $2 */ $3 */ 1")).isZero();
    assertThat(SqlParameters.count("SELECT E'\\' $1', 'it''s $2', $1")).isEqualTo(1);
    assertThat(SqlParameters.count("SELECT a$1 FROM t")).isZero(); // part of an identifier
  }
}
