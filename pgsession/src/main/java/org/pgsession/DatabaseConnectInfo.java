package org.pgsession;

import java.util.Objects;

/**
 * Who to log in as and which database to open.
 *
 * @param user the role name
 * @param password the password (may be empty for trust authentication); never printed
 * @param database the database name
 */
public record DatabaseConnectInfo(String user, String password, String database) {
  /** Rejects null components. */
  public DatabaseConnectInfo {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(database, "database");
  }

  /** Shows user and database; the password is masked. */
  @Override
  public String toString() {
    return "DatabaseConnectInfo[user=" + user + ", password=****, database=" + database + "]";
  }
}
