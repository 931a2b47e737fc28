package org.pgsession.internal.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.pgsession.AuthRequirement;
import org.pgsession.DatabaseConnectInfo;
import org.pgsession.ServerConnectInfo;
import org.pgsession.SessionOptions;
import org.pgsession.SslMode;
import org.pgsession.TargetSessionAttrs;

/**
 * Completes a parsed connection string the way libpq does and maps it onto pgsession's types.
 * Precedence per key: the connection string, then the service file's section (service from the
 * {@code service} key or {@code PGSERVICE}), then the key's {@code PG*} environment variable, then
 * the default. A missing or empty password is looked up in the password file. As in libpq, an
 * empty host, port, user or dbname means "the default" (it does not fall back to the environment).
 */
public final class ConfigResolver {
  private static final int DEFAULT_PORT = 5432;

  private final ParamValues values = new ParamValues();
  private final ConfigSources sources;

  /** The connection settings in pgsession's terms. */
  public record Resolved(List<ServerConnectInfo> servers, DatabaseConnectInfo database, SessionOptions options,
      TargetSessionAttrs targetSessionAttrs, SslMode sslFallback, boolean loadBalanceHosts) {}

  private ConfigResolver(ConfigSources sources) {
    this.sources = sources;
  }

  /**
   * @param connectionString a libpq URI or key=value string ("" for the environment alone)
   * @param sources environment, home directory and OS user
   * @return the resolved settings
   * @throws IllegalArgumentException naming the key for a syntax error, unknown key or bad value
   */
  public static Resolved resolve(String connectionString, ConfigSources sources) {
    ConfigResolver r = new ConfigResolver(sources);
    ConnStringParser.parse(connectionString).forEach((k, v) -> r.values.putIfAbsent(k, v, "connection string"));
    String service = r.values.nonEmpty(ConnKey.SERVICE);
    if (service == null) {
      service = sources.getenv("PGSERVICE");
    }
    if (service != null && !service.isEmpty()) {
      String origin = "service \"" + service + "\"";
      ServiceFile.lookup(service, sources).forEach((k, v) -> r.values.putIfAbsent(k, v, origin));
    }
    for (ConnKey k : ConnKey.values()) {
      String env = k.envVar() == null ? null : sources.getenv(k.envVar());
      if (env != null) {
        r.values.putIfAbsent(k, env, k.envVar());
      }
    }
    return r.build();
  }

  private Resolved build() {
    List<String> hosts = hosts();
    List<Integer> ports = ports(hosts.size());
    String user = values.nonEmpty(ConnKey.USER);
    if (user == null) {
      user = sources.osUser();
    }
    String dbname = values.nonEmpty(ConnKey.DBNAME);
    if (dbname == null) {
      dbname = user;
    }
    String password = values.nonEmpty(ConnKey.PASSWORD);
    if (password == null) {
      password = fromPassFile(hosts, ports, dbname, user);
    }
    SslMode ssl = new SslSettings(values, sources).sslMode();
    SslMode fallback = null;
    boolean allow = "allow".equals(values.nonEmpty(ConnKey.SSLMODE));
    WireSettings wire = new WireSettings(values, ssl, allow);
    if (allow && wire.skipsPlaintext() && ssl instanceof SslMode.Preferred preferred) {
      ssl = SslMode.required(preferred.context()); // a plaintext login can never be channel-bound
    } else if (allow && ssl instanceof SslMode.Preferred preferred) {
      // libpq's allow: plaintext first; TLS only when the server refuses the plaintext connection.
      fallback = SslMode.required(preferred.context());
      ssl = SslMode.disabled();
    }
    Duration timeout = connectTimeout();
    AuthRequirement auth = RequireAuth.parse(values.nonEmpty(ConnKey.REQUIRE_AUTH), values);
    List<ServerConnectInfo> servers = new ArrayList<>();
    for (int i = 0; i < hosts.size(); i++) {
      servers.add(wire.apply(ServerConnectInfo.of(hosts.get(i), ports.get(i)).withSslMode(ssl)
          .withConnectionTimeout(timeout).withAuthRequirement(auth)));
    }
    return new Resolved(servers, new DatabaseConnectInfo(user, password, dbname), options(), targetSessionAttrs(),
        fallback, loadBalanceHosts());
  }

  private List<String> hosts() {
    String list = values.getOrDefault(ConnKey.HOST, "");
    List<String> hosts = new ArrayList<>();
    for (String h : list.split(",", -1)) {
      h = h.strip();
      if (h.startsWith("/") || h.startsWith("@")) {
        throw values.bad(ConnKey.HOST, "unix-domain socket directories are not supported: \"" + h + "\"");
      }
      hosts.add(h.isEmpty() ? "localhost" : h);
    }
    return hosts;
  }

  private List<Integer> ports(int hostCount) {
    String list = values.getOrDefault(ConnKey.PORT, "");
    List<Integer> ports = new ArrayList<>();
    for (String p : list.split(",", -1)) {
      p = p.strip();
      if (p.isEmpty()) {
        ports.add(DEFAULT_PORT);
        continue;
      }
      int port = parseInt(ConnKey.PORT, p);
      if (port < 1 || port > 65535) {
        throw values.bad(ConnKey.PORT, "invalid port number: \"" + p + "\"");
      }
      ports.add(port);
    }
    if (ports.size() == 1) {
      while (ports.size() < hostCount) {
        ports.add(ports.get(0));
      }
    } else if (ports.size() != hostCount) {
      throw values.bad(ConnKey.PORT, "could not match " + ports.size() + " port numbers to " + hostCount + " hosts");
    }
    return ports;
  }

  private String fromPassFile(List<String> hosts, List<Integer> ports, String dbname, String user) {
    String configured = values.nonEmpty(ConnKey.PASSFILE);
    Path file = configured != null ? Path.of(configured) : sources.inHome(".pgpass");
    if (file == null) {
      return "";
    }
    // libpq looks the password up per host; one DatabaseConnectInfo serves all hosts here, so
    // the first host with a matching line decides.
    for (int i = 0; i < hosts.size(); i++) {
      String pw = PassFile.lookup(file, hosts.get(i), Integer.toString(ports.get(i)), dbname, user);
      if (pw != null) {
        return pw;
      }
    }
    return "";
  }

  private Duration connectTimeout() {
    String v = values.nonEmpty(ConnKey.CONNECT_TIMEOUT);
    if (v == null) {
      return null;
    }
    int seconds = parseInt(ConnKey.CONNECT_TIMEOUT, v.strip());
    if (seconds <= 0) {
      return null; // libpq: zero or negative waits indefinitely
    }
    return Duration.ofSeconds(Math.max(2, seconds)); // libpq: the minimum is 2 s
  }

  private SessionOptions options() {
    SessionOptions o = SessionOptions.defaults();
    String app = values.nonEmpty(ConnKey.APPLICATION_NAME);
    if (app == null) {
      app = values.nonEmpty(ConnKey.FALLBACK_APPLICATION_NAME);
    }
    try {
      if (app != null) {
        o = o.withStartupParameter("application_name", app);
      }
      String opts = values.nonEmpty(ConnKey.OPTIONS);
      if (opts != null) {
        o = o.withStartupParameter("options", opts);
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("application_name and options must not contain NUL characters", e);
    }
    String cache = values.nonEmpty(ConnKey.STATEMENT_CACHE_SIZE);
    if (cache != null) {
      int n = parseInt(ConnKey.STATEMENT_CACHE_SIZE, cache.strip());
      if (n < 0) {
        throw values.bad(ConnKey.STATEMENT_CACHE_SIZE, "statement_cache_size must be >= 0: " + n);
      }
      o = o.withStatementCacheSize(n);
    }
    String pipelining = values.nonEmpty(ConnKey.PIPELINING);
    if (pipelining != null) {
      o = o.withPipelining(parseBoolean(ConnKey.PIPELINING, pipelining));
    }
    return o;
  }

  private TargetSessionAttrs targetSessionAttrs() {
    String v = values.nonEmpty(ConnKey.TARGET_SESSION_ATTRS);
    if (v == null) {
      return TargetSessionAttrs.ANY;
    }
    try {
      return TargetSessionAttrs.fromLibpqName(v);
    } catch (IllegalArgumentException e) {
      throw values.bad(ConnKey.TARGET_SESSION_ATTRS, e.getMessage());
    }
  }

  private boolean loadBalanceHosts() {
    String v = values.nonEmpty(ConnKey.LOAD_BALANCE_HOSTS);
    if (v == null || v.equals("disable")) {
      return false;
    }
    if (v.equals("random")) {
      return true;
    }
    throw values.bad(ConnKey.LOAD_BALANCE_HOSTS, "invalid load_balance_hosts value: \"" + v + "\" (disable or random)");
  }

  private int parseInt(ConnKey k, String v) {
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw values.bad(k, "invalid integer value \"" + v + "\" for connection option \"" + k.libpqName() + "\"");
    }
  }

  private boolean parseBoolean(ConnKey k, String v) {
    return switch (v.strip().toLowerCase(Locale.ROOT)) {
      case "on", "true", "1", "yes" -> true;
      case "off", "false", "0", "no" -> false;
      default -> throw values.bad(k, "invalid boolean value \"" + v + "\" for " + k.libpqName()
          + " (on/off, true/false, 1/0)");
    };
  }
}
