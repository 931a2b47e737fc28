package org.pgsession;

import java.util.List;
import java.util.Objects;

/**
 * Where to connect, as whom, and with which session settings: the parsed form of a libpq-style
 * connection string. (Skeleton: parsing arrives with the "Everyday API" issue.)
 */
public final class ConnectConfig {
  private final List<ServerConnectInfo> servers;
  private final DatabaseConnectInfo database;
  private final SessionOptions options;

  private ConnectConfig(List<ServerConnectInfo> servers, DatabaseConnectInfo database, SessionOptions options) {
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("at least one server is needed");
    }
    this.servers = List.copyOf(servers);
    this.database = Objects.requireNonNull(database, "database");
    this.options = Objects.requireNonNull(options, "options");
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
    return new ConnectConfig(servers, database, options);
  }

  /**
   * @param connectionString a libpq URI or key=value string
   * @return the configuration
   */
  public static ConnectConfig parse(String connectionString) {
    throw new UnsupportedOperationException("connection strings are not parsed yet");
  }

  /** @return the configuration of the PG* environment variables */
  public static ConnectConfig fromEnvironment() {
    throw new UnsupportedOperationException("the environment is not read yet");
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
   * @param password the password to use
   * @return a copy with that password
   */
  public ConnectConfig withPassword(String password) {
    return new ConnectConfig(servers, new DatabaseConnectInfo(database.user(), password, database.database()),
        options);
  }

  @Override
  public String toString() {
    return "ConnectConfig[servers=" + servers + ", database=" + database + ", options=" + options + "]";
  }
}
