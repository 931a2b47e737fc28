package org.pgsession.bench;

/**
 * Everything a trial JVM needs to know, passed from {@link Runner} as system properties
 * ({@code bench.*}) so that a child can also be started by hand for debugging.
 *
 * @param host server host
 * @param port server port
 * @param user SCRAM user
 * @param password its password
 * @param database database name
 * @param postmasterPid the server's postmaster, whose children are summed for server CPU
 * @param clockTicks {@code getconf CLK_TCK} (units of /proc/&lt;pid&gt;/stat times)
 * @param trialMillis length of a timed W1/W2/W2b trial
 * @param w3Rows rows of the W3 query
 * @param w4Rows rows of the W4 COPY payload
 * @param w5Connections connections per W5 trial
 * @param w6Sessions sessions of W6
 * @param w6Queries queries each W6 session runs
 * @param heapRows rows of the smallest-heap stream
 * @param warmups untimed warm-up trials
 * @param trials measured trials
 */
public record Conf(String host, int port, String user, String password, String database, long postmasterPid,
    int clockTicks, long trialMillis, int w3Rows, int w4Rows, int w5Connections, int w6Sessions, int w6Queries,
    int heapRows, int warmups, int trials) {

  /** The W1/W2/W6 query. */
  public static final String POINT_SQL = "SELECT id, name FROM bench_point WHERE id = $1";
  /** The W1/W2/W6 query in JDBC syntax. */
  public static final String POINT_SQL_JDBC = "SELECT id, name FROM bench_point WHERE id = ?";
  /** Keys of bench_point: 1..POINT_KEYS. */
  public static final int POINT_KEYS = 10_000;
  /** The W2b statement. */
  public static final String SINK_SQL = "INSERT INTO bench_sink(id, name) VALUES ($1, $2)";
  /** The W2b statement in JDBC syntax. */
  public static final String SINK_SQL_JDBC = "INSERT INTO bench_sink(id, name) VALUES (?, ?)";
  /** The W4 statement. */
  public static final String COPY_SQL = "COPY bench_copy(id, txt, val, d) FROM STDIN";
  /** W5 cold connects as {@code COLD_ROLE_PREFIX + n}: roles this JVM has never used. */
  public static final String COLD_ROLE_PREFIX = "bench_w5_";
  /** Password of every cold role. */
  public static final String COLD_PASSWORD = "bench-w5";
  /** Batch size of W2/W2b batches and pipelines. */
  public static final int BATCH = 100;
  /** Queries in flight for W2 pipelining. */
  public static final int IN_FLIGHT = 256;
  /** W3 window / fetch size. */
  public static final int WINDOW = 1000;
  /** W4 chunk size. */
  public static final int CHUNK = 64 * 1024;

  /**
   * The W3 query over {@code rows} rows.
   *
   * @param rows number of rows
   * @return the SQL (no parameters, so every client runs the same text)
   */
  public static String wideSql(int rows) {
    return "SELECT i, i::int8*2, 'row-'||i, i*1.5::float8, now() FROM generate_series(1," + rows + ") i";
  }

  /**
   * Reads the configuration from {@code bench.*} system properties.
   *
   * @return the configuration
   */
  public static Conf fromSystemProperties() {
    return new Conf(prop("bench.host"), Integer.parseInt(prop("bench.port")), prop("bench.user"),
        prop("bench.password"), prop("bench.database"), Long.parseLong(prop("bench.postmasterPid")),
        Integer.parseInt(prop("bench.clockTicks")), Long.parseLong(prop("bench.trialMillis")),
        Integer.parseInt(prop("bench.w3Rows")), Integer.parseInt(prop("bench.w4Rows")),
        Integer.parseInt(prop("bench.w5Connections")), Integer.parseInt(prop("bench.w6Sessions")),
        Integer.parseInt(prop("bench.w6Queries")), Integer.parseInt(prop("bench.heapRows")),
        Integer.parseInt(prop("bench.warmups")), Integer.parseInt(prop("bench.trials")));
  }

  /**
   * This configuration as {@code -Dbench.*=...} JVM arguments.
   *
   * @return the arguments
   */
  public java.util.List<String> asJvmArgs() {
    return java.util.List.of("-Dbench.host=" + host, "-Dbench.port=" + port, "-Dbench.user=" + user,
        "-Dbench.password=" + password, "-Dbench.database=" + database, "-Dbench.postmasterPid=" + postmasterPid,
        "-Dbench.clockTicks=" + clockTicks, "-Dbench.trialMillis=" + trialMillis, "-Dbench.w3Rows=" + w3Rows,
        "-Dbench.w4Rows=" + w4Rows, "-Dbench.w5Connections=" + w5Connections,
        "-Dbench.w6Sessions=" + w6Sessions, "-Dbench.w6Queries=" + w6Queries, "-Dbench.heapRows=" + heapRows,
        "-Dbench.warmups=" + warmups, "-Dbench.trials=" + trials);
  }

  /**
   * How many cold roles the W5-cold case uses: a fresh role for every connect of every trial,
   * repeats of stolen trials included.
   *
   * @return the count
   */
  public int coldRoles() {
    return (warmups + trials * (1 + TrialMain.MAX_REPEATS)) * w5Connections;
  }

  /**
   * The cold role a W5-cold connect uses.
   *
   * @param n 1-based, up to {@link #coldRoles()}
   * @return the role name
   */
  public static String coldRole(int n) {
    return COLD_ROLE_PREFIX + n;
  }

  /**
   * The password of a role this benchmark connects as.
   *
   * @param role the main role or a cold role
   * @return its password
   */
  public String passwordOf(String role) {
    return role.startsWith(COLD_ROLE_PREFIX) ? COLD_PASSWORD : password;
  }

  /**
   * The pgjdbc URL of the server (no parameters).
   *
   * @return the URL
   */
  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  private static String prop(String name) {
    String v = System.getProperty(name);
    if (v == null) {
      throw new IllegalArgumentException("missing system property " + name);
    }
    return v;
  }
}
