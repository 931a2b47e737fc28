package org.pgsession.r2dbc;

import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.test.TestKit;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.JdbcTemplate;

/** The R2DBC TCK (r2dbc-spi-test 1.0.0) with index binds ({@code bind(0, ..)} for {@code $1}). */
class PgsessionTckTest implements TestKit<Integer> {
  private static ConnectionFactory factory;
  private static JdbcTemplate jdbc;

  @BeforeAll
  static void connect() {
    factory = TestDatabase.connectionFactory();
    jdbc = TestDatabase.jdbc();
    // a previous run that died may have left the TCK's tables behind
    for (String table : new String[] {"test", "test_two_column", "blob_test", "clob_test"}) {
      jdbc.execute("DROP TABLE IF EXISTS " + table);
    }
  }

  @Override
  public ConnectionFactory getConnectionFactory() {
    return factory;
  }

  @Override
  public String getPlaceholder(int index) {
    return "$" + (index + 1);
  }

  @Override
  public Integer getIdentifier(int index) {
    return index;
  }

  @Override
  public JdbcOperations getJdbcOperations() {
    return jdbc;
  }

  /** PostgreSQL's spelling of the TCK's generic SQL. */
  @Override
  public String doGetSql(TestStatement statement) {
    return TckSql.sql(statement);
  }
}
