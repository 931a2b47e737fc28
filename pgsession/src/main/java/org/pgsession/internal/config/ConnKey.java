package org.pgsession.internal.config;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The connection-string keys pgsession understands: libpq's name and the environment variable
 * libpq reads when the key is not given. {@code statement_cache_size} and {@code pipelining} are
 * pgsession's own additions (no environment variable).
 */
public enum ConnKey {
  HOST("host", "PGHOST"),
  PORT("port", "PGPORT"),
  DBNAME("dbname", "PGDATABASE"),
  USER("user", "PGUSER"),
  PASSWORD("password", "PGPASSWORD"),
  PASSFILE("passfile", "PGPASSFILE"),
  SSLMODE("sslmode", "PGSSLMODE"),
  SSLROOTCERT("sslrootcert", "PGSSLROOTCERT"),
  SSLCERT("sslcert", "PGSSLCERT"),
  SSLKEY("sslkey", "PGSSLKEY"),
  CONNECT_TIMEOUT("connect_timeout", "PGCONNECT_TIMEOUT"),
  APPLICATION_NAME("application_name", "PGAPPNAME"),
  FALLBACK_APPLICATION_NAME("fallback_application_name", null),
  OPTIONS("options", "PGOPTIONS"),
  TARGET_SESSION_ATTRS("target_session_attrs", "PGTARGETSESSIONATTRS"),
  SERVICE("service", "PGSERVICE"),
  REQUIRE_AUTH("require_auth", "PGREQUIREAUTH"),
  LOAD_BALANCE_HOSTS("load_balance_hosts", "PGLOADBALANCEHOSTS"),
  STATEMENT_CACHE_SIZE("statement_cache_size", null),
  PIPELINING("pipelining", null),
  CHANNEL_BINDING("channel_binding", "PGCHANNELBINDING"),
  SSLNEGOTIATION("sslnegotiation", "PGSSLNEGOTIATION");

  /** libpq keys pgsession knows but does not implement: named as such in the error. */
  private static final Set<String> UNSUPPORTED = Set.of("hostaddr", "sslpassword", "sslcrl", "sslcrldir",
      "sslsni", "sslcompression", "ssl_min_protocol_version", "ssl_max_protocol_version",
      "sslcertmode", "gssencmode", "gsslib", "gssdelegation", "krbsrvname", "requirepeer",
      "keepalives", "keepalives_idle", "keepalives_interval", "keepalives_count",
      "tcp_user_timeout", "replication", "client_encoding", "servicefile",
      "min_protocol_version", "max_protocol_version", "scram_client_key", "scram_server_key",
      "oauth_issuer", "oauth_client_id", "oauth_client_secret", "oauth_scope");
  private static final Map<String, ConnKey> BY_NAME = new HashMap<>();

  static {
    for (ConnKey k : values()) {
      BY_NAME.put(k.libpqName, k);
    }
  }

  private final String libpqName;
  private final String envVar;

  ConnKey(String libpqName, String envVar) {
    this.libpqName = libpqName;
    this.envVar = envVar;
  }

  /** @return the key as written in connection strings */
  public String libpqName() {
    return libpqName;
  }

  /** @return the environment variable supplying a default, or null */
  public String envVar() {
    return envVar;
  }

  /**
   * @param name a key as written (libpq keys are case-sensitive)
   * @return the key
   * @throws IllegalArgumentException naming the key when it is unknown or not supported
   */
  public static ConnKey of(String name) {
    ConnKey k = BY_NAME.get(name);
    if (k != null) {
      return k;
    }
    if (UNSUPPORTED.contains(name)) {
      throw new IllegalArgumentException("connection parameter \"" + name + "\" is not supported by pgsession");
    }
    if (BY_NAME.containsKey(name.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("unknown connection parameter \"" + name + "\" (keys are lower case)");
    }
    throw new IllegalArgumentException("unknown connection parameter \"" + name + "\"");
  }
}
