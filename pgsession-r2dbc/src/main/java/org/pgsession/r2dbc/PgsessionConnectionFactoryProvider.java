package org.pgsession.r2dbc;

import static io.r2dbc.spi.ConnectionFactoryOptions.CONNECT_TIMEOUT;
import static io.r2dbc.spi.ConnectionFactoryOptions.DATABASE;
import static io.r2dbc.spi.ConnectionFactoryOptions.DRIVER;
import static io.r2dbc.spi.ConnectionFactoryOptions.HOST;
import static io.r2dbc.spi.ConnectionFactoryOptions.LOCK_WAIT_TIMEOUT;
import static io.r2dbc.spi.ConnectionFactoryOptions.PASSWORD;
import static io.r2dbc.spi.ConnectionFactoryOptions.PORT;
import static io.r2dbc.spi.ConnectionFactoryOptions.SSL;
import static io.r2dbc.spi.ConnectionFactoryOptions.STATEMENT_TIMEOUT;
import static io.r2dbc.spi.ConnectionFactoryOptions.USER;

import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.ConnectionFactoryProvider;
import io.r2dbc.spi.Option;
import java.time.Duration;
import java.util.List;
import org.pgsession.ConnectConfig;

/**
 * The R2DBC driver {@code pgsession}: {@code r2dbc:pgsession://user:password@host:port/database?key=value}.
 *
 * <p>The standard options map onto {@link ConnectConfig}'s libpq keys: host, port, user, password,
 * database ({@code dbname}), {@code ssl=true} ({@code sslmode=require} unless {@code sslmode} is
 * given) and {@code connectTimeout} ({@code connect_timeout}, whole seconds rounded up).
 * {@code statementTimeout} and {@code lockWaitTimeout} are set on each new connection. These libpq
 * keys pass through as options of the same name: {@code sslmode}, {@code sslrootcert},
 * {@code sslcert}, {@code sslkey}, {@code application_name}, {@code fallback_application_name},
 * {@code options}, {@code target_session_attrs}, {@code require_auth}, {@code service},
 * {@code passfile}, {@code statement_cache_size}, {@code pipelining}. As with libpq, what the
 * options leave out comes from the {@code PG*} environment variables, the service file and the
 * password file. Other options are ignored (pools and frameworks add their own).
 */
public final class PgsessionConnectionFactoryProvider implements ConnectionFactoryProvider {
  /** The driver name in R2DBC URLs and {@code ConnectionFactoryOptions.DRIVER}. */
  public static final String DRIVER_NAME = "pgsession";

  private static final List<String> LIBPQ_KEYS = List.of("sslmode", "sslrootcert", "sslcert", "sslkey",
      "application_name", "fallback_application_name", "options", "target_session_attrs", "require_auth",
      "service", "passfile", "statement_cache_size", "pipelining");

  /** Public for {@link java.util.ServiceLoader}. */
  public PgsessionConnectionFactoryProvider() {}

  @Override
  public PgsessionConnectionFactory create(ConnectionFactoryOptions options) {
    Args.notNull(options, "options");
    return PgsessionConnectionFactory.of(ConnectConfig.parse(connectionString(options)),
        duration(options.getValue(STATEMENT_TIMEOUT)), duration(options.getValue(LOCK_WAIT_TIMEOUT)));
  }

  @Override
  public boolean supports(ConnectionFactoryOptions options) {
    Args.notNull(options, "options");
    return DRIVER_NAME.equals(options.getValue(DRIVER));
  }

  @Override
  public String getDriver() {
    return DRIVER_NAME;
  }

  /** @return the libpq key=value string the options stand for */
  static String connectionString(ConnectionFactoryOptions options) {
    StringBuilder out = new StringBuilder();
    append(out, "host", options.getValue(HOST));
    append(out, "port", options.getValue(PORT));
    append(out, "user", options.getValue(USER));
    append(out, "password", options.getValue(PASSWORD));
    append(out, "dbname", options.getValue(DATABASE));
    for (String key : LIBPQ_KEYS) {
      append(out, key, options.getValue(Option.valueOf(key)));
    }
    Object ssl = options.getValue(SSL);
    if (ssl != null && Boolean.parseBoolean(ssl.toString()) && options.getValue(Option.valueOf("sslmode")) == null) {
      append(out, "sslmode", "require");
    }
    Duration connectTimeout = duration(options.getValue(CONNECT_TIMEOUT));
    if (connectTimeout != null) {
      long seconds = (connectTimeout.toMillis() + 999) / 1000;
      append(out, "connect_timeout", Long.toString(seconds));
    }
    return out.toString().strip();
  }

  private static void append(StringBuilder out, String key, Object value) {
    if (value == null) {
      return;
    }
    String text = value.toString();
    out.append(key).append("='").append(text.replace("\\", "\\\\").replace("'", "\\'")).append("' ");
  }

  /** A Duration, or text: ISO-8601 ({@code PT5S}) or milliseconds. */
  private static Duration duration(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof Duration d) {
      return d;
    }
    if (value instanceof Number n) {
      return Duration.ofMillis(n.longValue());
    }
    String text = value.toString().strip();
    try {
      return text.startsWith("P") || text.startsWith("p") ? Duration.parse(text) : Duration.ofMillis(Long.parseLong(text));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a duration (ISO-8601 like PT5S, or milliseconds): " + text, e);
    }
  }
}
