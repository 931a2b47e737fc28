package org.pgsession.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pgsession.testkit.ClusterConfig;
import org.pgsession.testkit.PgCluster;
import org.pgsession.testkit.TestRoles;

/**
 * Runs the whole benchmark: starts one server with the testkit, creates the tables, runs every
 * case in a fresh JVM per round (clients interleaved, their order rotated each round), searches
 * the smallest heap for a long stream, and writes docs/PERFORMANCE.md.
 *
 * <p>System properties: {@code bench.quick=true} (1 round, short trials, small data: a smoke
 * check), {@code bench.rounds}, {@code bench.only} (comma-separated workload or case ids),
 * {@code bench.heap=false} (skip the heap search), {@code bench.out} (default
 * {@code docs/PERFORMANCE.md}), {@code bench.label} (shown in the report, e.g. "preliminary"), and
 * the sizes {@code bench.trialMillis}, {@code bench.w3Rows}, {@code bench.w4Rows},
 * {@code bench.w5Connections}, {@code bench.w6Sessions}, {@code bench.w6Queries},
 * {@code bench.heapRows}, {@code bench.warmups}, {@code bench.trials} (defaults: BENCHMARKS.md);
 * {@code bench.threadCpu=true} writes each child thread's CPU time into the child logs, {@code bench.childJvmArgs} adds JVM flags to every child (diagnostics, e.g. a JFR recording).
 * A checksum mismatch or a failed case aborts the run with status 1 and writes nothing.
 */
public final class Runner {
  /**
   * Every client's JVM. AlwaysPreTouch: the heap's pages are touched at start-up, not by the
   * first allocations of the trials. Without it, a client that allocates less spends its
   * measured trials still faulting in fresh heap pages (29% of pgsession's event-loop CPU in the
   * W3 stream's measured trials was page faults), while one that allocates more has faulted the
   * whole young generation in during warm-up: the flag removes a bias against allocating less.
   */
  static final List<String> JVM_FLAGS = List.of("-Xms1g", "-Xmx2g", "-XX:+UseG1GC", "-XX:+AlwaysPreTouch");

  private Runner() {
  }

  /**
   * Entry point.
   *
   * @param args unused
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    boolean quick = Boolean.getBoolean("bench.quick");
    // 2 rounds: each round makes ~9,000 SCRAM logins (W5, W6), which dominate a full run.
    int rounds = Integer.getInteger("bench.rounds", quick ? 1 : 2);
    String only = System.getProperty("bench.only", "");
    boolean heap = Boolean.parseBoolean(System.getProperty("bench.heap", "true"));
    Path out = Path.of(System.getProperty("bench.out", "docs/PERFORMANCE.md"));
    String label = System.getProperty("bench.label", quick ? "quick mode (smoke check, not a measurement)" : "");
    long started = System.nanoTime();
    int status;
    try (PgCluster pg = PgCluster.start(ClusterConfig.defaults().withSetting("shared_buffers", "256MB")
        .withSetting("work_mem", "64MB").withSetting("scram_iterations", "4096")
        .withStartTimeout(Duration.ofSeconds(180)))) {
      status = run(pg, quick, rounds, only, heap, out, label, started);
    }
    System.exit(status);
  }

  private static int run(PgCluster pg, boolean quick, int rounds, String only, boolean heap, Path out, String label,
      long started) throws Exception {
    Conf sizes = new Conf(pg.host(), pg.port(), TestRoles.SCRAM_USER, TestRoles.SCRAM_PASSWORD, TestRoles.DATABASE,
        0, Machine.clockTicks(), setting("trialMillis", quick ? 500 : 2000),
        (int) setting("w3Rows", quick ? 100_000 : 1_000_000), (int) setting("w4Rows", quick ? 100_000 : 1_000_000),
        (int) setting("w5Connections", quick ? 20 : 200), (int) setting("w6Sessions", quick ? 50 : 200),
        (int) setting("w6Queries", quick ? 20 : 100), (int) setting("heapRows", quick ? 1_000_000 : 10_000_000),
        (int) setting("warmups", quick ? 1 : 2), (int) setting("trials", quick ? 2 : 3));
    long postmaster = setUp(pg, sizes.coldRoles());
    Conf conf = new Conf(sizes.host(), sizes.port(), sizes.user(), sizes.password(), sizes.database(), postmaster,
        sizes.clockTicks(), sizes.trialMillis(), sizes.w3Rows(), sizes.w4Rows(), sizes.w5Connections(),
        sizes.w6Sessions(), sizes.w6Queries(), sizes.heapRows(), sizes.warmups(), sizes.trials());
    ChildJvm jvm = new ChildJvm(conf, Path.of("pgsession-bench", "target", "bench-logs").toAbsolutePath());
    List<Cases.Case> cases = new ArrayList<>();
    for (Cases.Case c : Cases.ALL) {
      if (selected(only, c)) {
        cases.add(c);
      }
    }
    String loadBefore = Machine.loadAverage();
    long[] stealBefore = Machine.cpuTicks();
    List<String> machine = Machine.describe(pg.pgVersion()); // at the start: date and commit of what runs
    List<Sample> samples = new ArrayList<>();
    int repeated = 0;
    for (int round = 1; round <= rounds; round++) {
      for (Cases.Case c : interleaved(cases, round)) {
        System.out.printf(Locale.ROOT, "[round %d/%d, %s] %s%n", round, rounds, elapsed(started), c.id());
        ChildJvm.Outcome o = jvm.run(JVM_FLAGS, c.id(),
            c.id().replace('/', '-') + "-r" + round + ".log", quick ? 300 : 900);
        if (!o.ok()) {
          System.err.printf("FAILED %s (exit %d%s): %s%n--- %s ---%n%s%n", c.id(), o.exitCode(),
              o.timedOut() ? ", timed out" : "", o.failure(), o.log(), ChildJvm.tail(o.log()));
          return 1;
        }
        for (String line : o.results()) {
          Sample s = Sample.parse(line, round);
          if (s.phase().equals("stolen")) {
            repeated++;
            System.out.printf(Locale.ROOT, "    repeated: the hypervisor stole %.1f%% of the cores during a trial%n",
                100.0 * TrialMain.stealShare(s.values()));
          } else if (!s.phase().equals("warmup")) {
            samples.add(s);
            System.out.printf(Locale.ROOT, "    %-8s %,12.0f ops/s  client %7.2f µs/op  server %7.2f µs/op"
                + "  cores %.2f / %.2f%n", s.phase(), s.throughput(), s.perOp("clientCpu") / 1000,
                s.perOp("serverCpu") / 1000, s.cores("clientCpu"), s.cores("serverCpu"));
          }
        }
      }
    }
    Map<String, HeapSearch.Result> heapResults = new LinkedHashMap<>();
    if (heap) {
      for (Cases.Case c : Cases.HEAP) {
        if (only.isEmpty() || only.contains("HEAP")) {
          System.out.printf("[%s] smallest heap for %,d rows: %s%n", elapsed(started), conf.heapRows(), c.client());
          heapResults.put(c.client(), HeapSearch.search(jvm, c.client(), quick ? 120 : 300));
        }
      }
    }
    List<String> settings = new ArrayList<>();
    if (!label.isEmpty()) {
      settings.add("**Status: " + label + "**");
    }
    settings.add(String.format(Locale.ROOT, "Run: %d round(s); per case and round a fresh JVM (-Xms1g -Xmx2g"
        + " -XX:+UseG1GC -XX:+AlwaysPreTouch) with %d warm-up and %d measured trials; W1/W2/W2b trials %d ms; W3 %,d rows; W4 %,d rows;"
        + " W5 %d connections per trial; W6 %d sessions × %d queries", rounds, conf.warmups(), conf.trials(),
        conf.trialMillis(), conf.w3Rows(), conf.w4Rows(), conf.w5Connections(), conf.w6Sessions(),
        conf.w6Queries()));
    settings.add(String.format(Locale.ROOT, "Steal: a measured trial during which the hypervisor stole more than"
        + " %.0f%% of the cores' time is repeated (at most 5 times, then the least stolen attempt counts);"
        + " %d repeat(s) in this run; steal over the"
        + " whole run %s", TrialMain.STEAL_LIMIT * 100, repeated, Machine.stealSince(stealBefore)));
    settings.add("Server: shared_buffers=256MB, work_mem=64MB, fsync/synchronous_commit/full_page_writes off,"
        + " max_connections=300, scram_iterations=4096; client and server share the cores");
    settings.add("Load average (1/5/15 min) before: " + loadBefore + ", after: " + Machine.loadAverage()
        + "; duration " + elapsed(started));
    double w4BytesPerRow = CopyPayload.chunks(1000).get(0).length / 1000.0;
    String block = Report.generated(samples, machine, heapResults, settings,
        conf.heapRows(), w4BytesPerRow);
    Report.write(out, block);
    System.out.printf("wrote %s in %s%n", out.toAbsolutePath(), elapsed(started));
    return 0;
  }

  /**
   * Creates the BENCHMARKS.md tables, re-hashes the SCRAM password with 4096 iterations, creates
   * the W5-cold roles (each with its own salt, so no client can reuse derived SCRAM keys between
   * them) and lets them log in with SCRAM; returns the postmaster's pid.
   */
  private static long setUp(PgCluster pg, int coldRoles) throws Exception {
    String url = "jdbc:postgresql://" + pg.host() + ":" + pg.port() + "/" + TestRoles.DATABASE;
    long postmaster;
    try (Connection c = DriverManager.getConnection(url, TestRoles.SCRAM_USER, TestRoles.SCRAM_PASSWORD);
        Statement st = c.createStatement()) {
      st.execute("SET password_encryption = 'scram-sha-256'");
      st.execute("SET scram_iterations = 4096");
      st.execute("ALTER ROLE " + TestRoles.SCRAM_USER + " PASSWORD '" + TestRoles.SCRAM_PASSWORD + "'");
      st.execute("CREATE TABLE bench_point(id int4 PRIMARY KEY, name text NOT NULL)");
      st.execute("INSERT INTO bench_point SELECT i, 'name-' || i FROM generate_series(1, 10000) i");
      st.execute("CREATE UNLOGGED TABLE bench_copy(id int4, txt text, val float8, d date)");
      st.execute("CREATE UNLOGGED TABLE bench_sink(id int4, name text)");
      st.execute("VACUUM ANALYZE bench_point");
      st.execute("DO $$ BEGIN FOR i IN 1.." + coldRoles + " LOOP EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', '"
          + Conf.COLD_ROLE_PREFIX + "' || i, '" + Conf.COLD_PASSWORD + "'); END LOOP; END $$");
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_authid WHERE rolpassword LIKE 'SCRAM-SHA-256$4096:%'"
          + " AND (rolname = current_user OR rolname LIKE '" + Conf.COLD_ROLE_PREFIX + "%')")) {
        rs.next();
        if (rs.getInt(1) != coldRoles + 1) {
          throw new IllegalStateException("SCRAM verifiers do not all use 4096 iterations");
        }
      }
      try (ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
        rs.next();
        String stat = Files.readString(Path.of("/proc", Integer.toString(rs.getInt(1)), "stat"));
        postmaster = Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
      }
      // The testkit's pg_hba.conf names its own roles only; the cold roles need a SCRAM rule.
      Files.writeString(pg.dataDirectory().resolve("pg_hba.conf"), "host all all 127.0.0.1/32 scram-sha-256\n",
          StandardOpenOption.APPEND);
      st.execute("SELECT pg_reload_conf()");
    }
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (true) {
      try (Connection c = DriverManager.getConnection(url, Conf.coldRole(1), Conf.COLD_PASSWORD)) {
        return postmaster;
      } catch (SQLException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("cold roles cannot log in after pg_hba.conf reload: " + e, e);
        }
        Thread.sleep(100);
      }
    }
  }

  /** A run parameter: {@code -Dbench.<name>} or the mode's default. */
  private static long setting(String name, long defaultValue) {
    return Long.getLong("bench." + name, defaultValue);
  }

  private static boolean selected(String only, Cases.Case c) {
    if (only.isEmpty()) {
      return true;
    }
    for (String s : only.split(",")) {
      if (s.equals(c.id()) || s.equals(c.workload())) {
        return true;
      }
    }
    return false;
  }

  /** Cases grouped by workload, with each workload's clients rotated by the round number. */
  private static List<Cases.Case> interleaved(List<Cases.Case> cases, int round) {
    Map<String, List<Cases.Case>> byWorkload = new LinkedHashMap<>();
    for (Cases.Case c : cases) {
      byWorkload.computeIfAbsent(c.workload(), k -> new ArrayList<>()).add(c);
    }
    List<Cases.Case> order = new ArrayList<>();
    for (List<Cases.Case> group : byWorkload.values()) {
      for (int i = 0; i < group.size(); i++) {
        order.add(group.get((i + round - 1) % group.size()));
      }
    }
    return order;
  }

  private static String elapsed(long started) {
    long s = (System.nanoTime() - started) / 1_000_000_000;
    return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
