package org.pgsession.r2dbc;

import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import org.pgsession.testkit.PgCluster;
import org.pgsession.testkit.TestClusters;
import org.pgsession.testkit.TestRoles;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The testkit's plain cluster, reached through the R2DBC URL and through JDBC (for the TCK's checks). */
final class TestDatabase {
  private TestDatabase() {}

  /** @return an R2DBC URL for the superuser on the plain cluster */
  static String url() {
    PgCluster c = TestClusters.plain();
    return "r2dbc:pgsession://" + TestRoles.SCRAM_USER + ":" + TestRoles.SCRAM_PASSWORD + "@" + c.host() + ":"
        + c.port() + "/" + TestRoles.DATABASE + "?connectTimeout=PT30S&application_name=r2dbc-tests";
  }

  /** @return a factory found by the R2DBC service loader from {@link #url()} */
  static ConnectionFactory connectionFactory() {
    return ConnectionFactories.get(url());
  }

  /** @return Spring JDBC over pgjdbc on the same cluster */
  static JdbcTemplate jdbc() {
    PgCluster c = TestClusters.plain();
    DriverManagerDataSource ds = new DriverManagerDataSource(
        "jdbc:postgresql://" + c.host() + ":" + c.port() + "/" + TestRoles.DATABASE, TestRoles.SCRAM_USER,
        TestRoles.SCRAM_PASSWORD);
    ds.setDriverClassName("org.postgresql.Driver");
    return new JdbcTemplate(ds);
  }
}
