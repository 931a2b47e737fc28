package org.pgsession.r2dbc;

import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.test.TestKit;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.JdbcTemplate;

/** The R2DBC TCK again, with named binds ({@code bind("$1", ..)}). Runs after its tables are free. */
class PgsessionNamedTckTest implements TestKit<String> {
  private static ConnectionFactory factory;
  private static JdbcTemplate jdbc;

  @BeforeAll
  static void connect() {
    factory = TestDatabase.connectionFactory();
    jdbc = TestDatabase.jdbc();
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
  public String getIdentifier(int index) {
    return "$" + (index + 1);
  }

  @Override
  public JdbcOperations getJdbcOperations() {
    return jdbc;
  }

  @Override
  public String doGetSql(TestStatement statement) {
    return TckSql.sql(statement);
  }
}
