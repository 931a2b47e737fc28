package org.pgsession;

import java.util.List;
import java.util.Objects;
import org.pgsession.internal.config.ConfigResolver;
import org.pgsession.internal.config.ConfigSources;

/**
 * Where to connect, as whom, and with which session settings: the parsed form of a libpq
 * connection string, completed from the {@code PG*} environment variables, the connection service
 * file and the password file the way libpq completes it.
 *
 * <pre>{@code
 * ConnectConfig config = ConnectConfig.parse(
 *     "postgresql://app@db1.example.com:5432,db2.example.com:5433/billing"
 *         + "?sslmode=verify-full&sslrootcert=/etc/ssl/pg-ca.pem&application_name=billing");
 * ServerConnectInfo first = config.servers().get(0);   // db1.example.com:5432, TLS verify-full
 * // the password came from PGPASSWORD or ~/.pgpass, if neither the string nor a service gave one
 * }</pre>
 *
 * <p>Syntax: {@code postgresql://}, {@code postgres://} or {@code jdbc:postgresql://} URIs
 * ({@code [user[:password]@][host[:port][,host[:port]...]][/dbname][?key=value&...]}, every part
 * percent-decoded, IPv6 literals in brackets, {@code ssl=true} meaning {@code sslmode=require}), or
 * libpq's {@code key=value} form (values optionally single-quoted; a backslash escapes the next
 * character). A {@code jdbc:postgresql://} URI takes the same libpq keys (not pgjdbc's own
 * property names such as {@code ApplicationName}). Keys: {@code host} (comma-separated list;
 * unix-domain socket directories are not supported), {@code port} (one per host, or one for all), {@code dbname}, {@code user},
 * {@code password}, {@code passfile}, {@code sslmode}, {@code sslrootcert} (PEM file or
 * {@code system}), {@code sslcert}/{@code sslkey} (PEM client certificate and unencrypted PKCS#8
 * key), {@code connect_timeout} (seconds; 0 or less: none; values below 2 mean 2),
 * {@code application_name}, {@code fallback_application_name}, {@code options} (e.g.
 * {@code -c search_path=app}), {@code target_session_attrs} ({@code any}, {@code read-write},
 * {@code read-only}, {@code primary}, {@code standby}, {@code prefer-standby}; see
 * {@link #targetSessionAttrs()}), {@code load_balance_hosts} ({@code disable} or {@code random}; see
 * {@link #loadBalanceHosts()}), {@code service}, {@code require_auth} (see below), and pgsession's own
 * {@code statement_cache_size} and {@code pipelining}
 * (on/off, true/false, 1/0).
 *
 * <p>Precedence per key, as in libpq: the connection string, then the service file section
 * ({@code service} or {@code PGSERVICE}; {@code PGSERVICEFILE} or {@code ~/.pg_service.conf},
 * then {@code $PGSYSCONFDIR/pg_service.conf}), then the environment variable
 * ({@code PGHOST}, {@code PGPORT}, {@code PGDATABASE}, {@code PGUSER}, {@code PGPASSWORD},
 * {@code PGPASSFILE}, {@code PGSSLMODE}, {@code PGSSLROOTCERT}, {@code PGSSLCERT},
 * {@code PGSSLKEY}, {@code PGCONNECT_TIMEOUT}, {@code PGAPPNAME}, {@code PGOPTIONS},
 * {@code PGTARGETSESSIONATTRS}, {@code PGLOADBALANCEHOSTS}), then the default (host {@code localhost}, port 5432, user the
 * operating-system user, dbname the user, sslmode {@code prefer}). A missing or empty password
 * is looked up in the password file ({@code passfile}, else {@code ~/.pgpass}; ignored with a
 * warning when group or others may access it). See {@code SslSettings} in the implementation for
 * the sslmode mapping; {@code allow} tries plaintext first and TLS ({@link #sslFallback()}) when
 * the server refuses it.
 *
 * <p>The authentication policy of the servers is {@link AuthRequirement#REQUIRE_SCRAM}, pgsession's
 * default (libpq accepts any method), unless {@code require_auth} ({@code PGREQUIREAUTH}) allows
 * all of {@code password,md5,scram-sha-256,none} (or, negated, denies none of them, e.g.
 * {@code !gss}): then {@link AuthRequirement#ALLOW_ANY}; other lists cannot be expressed yet and
 * are refused. {@link #withAuthRequirement} sets the policy in code. An unknown key
 * or a bad value is an {@link IllegalArgumentException} naming the key; neither {@link #toString()}
 * nor any exception message shows the password.
 */
public final class ConnectConfig {
  private final List<ServerConnectInfo> servers;
  private final DatabaseConnectInfo database;
  private final SessionOptions options;
  private final TargetSessionAttrs targetSessionAttrs;
  private final SslMode sslFallback;
  private final boolean loadBalanceHosts;

  private ConnectConfig(List<ServerConnectInfo> servers, DatabaseConnectInfo database, SessionOptions options,
      TargetSessionAttrs targetSessionAttrs, SslMode sslFallback, boolean loadBalanceHosts) {
    this.sslFallback = sslFallback;
    this.loadBalanceHosts = loadBalanceHosts;
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("at least one server is needed");
    }
    this.servers = List.copyOf(servers);
    this.database = Objects.requireNonNull(database, "database");
    this.options = Objects.requireNonNull(options, "options");
    this.targetSessionAttrs = Objects.requireNonNull(targetSessionAttrs, "targetSessionAttrs");
  }

  /**
   * A configuration built in code rather than parsed.
   *
   * @param servers the servers to try, in order (at least one)
   * @param database who to log in as, and the database
   * @param options the session settings
   * @return the configuration
   */
  public static ConnectConfig of(List<ServerConnectInfo> servers, DatabaseConnectInfo database,
      SessionOptions options) {
    return new ConnectConfig(servers, database, options, TargetSessionAttrs.ANY, null, false);
  }

  /**
   * Parses a connection string and completes it from this process's environment, service file
   * and password file.
   *
   * @param connectionString a {@code postgresql://}, {@code postgres://} or
   *     {@code jdbc:postgresql://} URI, or libpq {@code key=value} pairs ("" for the environment alone)
   * @return the configuration
   * @throws IllegalArgumentException naming the key for a syntax error, unknown key or bad value
   */
  public static ConnectConfig parse(String connectionString) {
    return parse(connectionString, ConfigSources.system());
  }

  /**
   * The configuration of the {@code PG*} environment variables, the service file and the
   * password file alone: {@code parse("")}.
   *
   * @return the configuration
   * @throws IllegalArgumentException naming the variable's key for a bad value
   */
  public static ConnectConfig fromEnvironment() {
    return parse("");
  }

  /** The entry point for tests: parses against the given environment instead of the process's. */
  static ConnectConfig parse(String connectionString, ConfigSources sources) {
    Objects.requireNonNull(connectionString, "connectionString");
    ConfigResolver.Resolved r = ConfigResolver.resolve(connectionString, sources);
    return new ConnectConfig(r.servers(), r.database(), r.options(), r.targetSessionAttrs(), r.sslFallback(),
        r.loadBalanceHosts());
  }

  /** @return the servers to try, one per host, in order */
  public List<ServerConnectInfo> servers() {
    return servers;
  }

  /** @return who to log in as, and the database */
  public DatabaseConnectInfo database() {
    return database;
  }

  /** @return the session settings */
  public SessionOptions options() {
    return options;
  }

  /**
   * {@code sslmode=allow}: the servers are tried in plaintext first, and a server that refuses the
   * plaintext connection (an ErrorResponse during startup, e.g. a {@code hostssl}-only pg_hba rule)
   * is tried again with this TLS mode, as libpq does. {@link Session#open(ConnectConfig)} and
   * {@link PgPool} apply it.
   *
   * @return the TLS mode of the second attempt, or null when there is none (every other sslmode)
   */
  public SslMode sslFallback() {
    return sslFallback;
  }

  /**
   * Which kind of server a session must reach ({@code target_session_attrs}), with libpq's
   * meaning. {@link Session#open(ConnectConfig)} and {@link PgPool} try the servers in order; a
   * server that accepts the login but is of the wrong kind is closed and the next one tried.
   * The kind is read from the {@code in_hot_standby} and {@code default_transaction_read_only}
   * parameters the server reports at login (PostgreSQL 14 and later), else asked with one query
   * ({@code pg_is_in_recovery()}, {@code transaction_read_only}). When no server fits, the open
   * fails with a {@link PgConnectException} whose reason is
   * {@link ConnectionFailureReason.ServerRoleMismatch} (or the last server's connection failure).
   *
   * @return what the session must reach ({@link TargetSessionAttrs#ANY} unless configured)
   */
  public TargetSessionAttrs targetSessionAttrs() {
    return targetSessionAttrs;
  }

  /**
   * @param target which kind of server sessions must reach
   * @return a copy with that {@code target_session_attrs}
   */
  public ConnectConfig withTargetSessionAttrs(TargetSessionAttrs target) {
    return new ConnectConfig(servers, database, options, Objects.requireNonNull(target, "target"), sslFallback,
        loadBalanceHosts);
  }

  /**
   * libpq's {@code load_balance_hosts=random}: each open tries the servers in a fresh random
   * order (then falls through the rest of that order as usual), spreading sessions over the
   * hosts; {@code disable} (the default) keeps the listed order. The addresses a single host name
   * resolves to are tried in resolver order (libpq shuffles those too).
   *
   * @return whether the server order is shuffled for every open
   */
  public boolean loadBalanceHosts() {
    return loadBalanceHosts;
  }

  /**
   * @param random whether every open tries the servers in a random order
   * @return a copy with that {@code load_balance_hosts} ({@code random} or {@code disable})
   */
  public ConnectConfig withLoadBalanceHosts(boolean random) {
    return new ConnectConfig(servers, database, options, targetSessionAttrs, sslFallback, random);
  }

  /**
   * @param password the password to use
   * @return a copy with that password
   */
  public ConnectConfig withPassword(String password) {
    return new ConnectConfig(servers, new DatabaseConnectInfo(database.user(), password, database.database()),
        options, targetSessionAttrs, sslFallback, loadBalanceHosts);
  }

  /**
   * @param requirement the authentication policy for every server
   * @return a copy with that policy
   */
  public ConnectConfig withAuthRequirement(AuthRequirement requirement) {
    return new ConnectConfig(servers.stream().map(s -> s.withAuthRequirement(requirement)).toList(), database,
        options, targetSessionAttrs, sslFallback, loadBalanceHosts);
  }

  /**
   * @param newOptions the session settings
   * @return a copy with those settings
   */
  public ConnectConfig withOptions(SessionOptions newOptions) {
    return new ConnectConfig(servers, database, newOptions, targetSessionAttrs, sslFallback, loadBalanceHosts);
  }

  /** Shows servers, user, database and options; the password is masked. */
  @Override
  public String toString() {
    return "ConnectConfig[servers=" + servers + ", database=" + database + ", options=" + options
        + ", targetSessionAttrs=" + targetSessionAttrs.libpqName()
        + (loadBalanceHosts ? ", loadBalanceHosts=random" : "") + "]";
  }
}
