package org.pgsession.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A PgBouncer connection pooler started in front of a {@link PgCluster}, with a generated
 * {@code pgbouncer.ini} and {@code userlist.txt}.
 *
 * <p>Clients authenticate to PgBouncer with {@code scram-sha-256} as {@link TestRoles#SCRAM_USER}
 * (the userlist holds that role's password, so PgBouncer logs into the cluster with SCRAM too);
 * every database name is forwarded to the cluster. The executable is {@code /usr/sbin/pgbouncer}
 * unless the system property {@value #EXECUTABLE_PROPERTY} names another; when missing,
 * {@link #start} fails with a message saying how to install it. When the JVM runs as root,
 * PgBouncer (which refuses root) runs as the same unprivileged user as the cluster.
 */
public final class PgBouncer implements AutoCloseable {

    /** System property naming the pgbouncer executable. */
    public static final String EXECUTABLE_PROPERTY = "pgsession.pgbouncer.executable";
    /** The default executable (Debian package {@code pgbouncer}). */
    public static final String DEFAULT_EXECUTABLE = "/usr/sbin/pgbouncer";

    private static final String HOST = "127.0.0.1";
    private static final int MAX_PORT_ATTEMPTS = 5;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Set<PgBouncer> LIVE = ConcurrentHashMap.newKeySet();
    private static volatile boolean hookInstalled;
    private static volatile boolean swept;

    /** PgBouncer's {@code pool_mode}: when a server connection goes back to the pool. */
    public enum PoolMode {
        /** After the client disconnects: a client keeps one server connection. */
        SESSION,
        /** After each transaction: a client's transactions may run on different server connections. */
        TRANSACTION;

        String iniValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final PgCluster cluster;
    private final PoolMode mode;
    private final Path directory;
    private final Path logFile;
    private final Path pidFile;
    private final String runAs;
    private int port;
    private volatile boolean closed;

    private PgBouncer(PgCluster cluster, PoolMode mode, Path directory) {
        this.cluster = cluster;
        this.mode = mode;
        this.directory = directory;
        this.logFile = directory.resolve("pgbouncer.log");
        this.pidFile = directory.resolve("pgbouncer.pid");
        this.runAs = Os.serverUser();
    }

    /**
     * Starts PgBouncer in front of {@code cluster} with {@code default_pool_size} 20.
     *
     * @param cluster the running cluster to pool connections to
     * @param mode the pool mode
     * @return the running pooler, accepting TCP connections on {@link #host()}:{@link #port()}
     * @throws PgStartException if pgbouncer is not installed or does not start
     */
    public static PgBouncer start(PgCluster cluster, PoolMode mode) {
        Path exe = executable();
        if (!Files.isExecutable(exe)) {
            throw new PgStartException("pgbouncer not found at " + exe
                    + ": install pgbouncer (apt-get install pgbouncer) or set -D" + EXECUTABLE_PROPERTY);
        }
        PgBouncer b;
        try {
            Path root = Os.sharedTempDir("pgsession-pgbouncer");
            if (!swept) {
                swept = true;
                sweepStale(root);
            }
            Path dir = Files.createTempDirectory(root, mode.iniValue());
            Files.setPosixFilePermissions(dir, Os.MODE_755);
            Files.writeString(dir.resolve(StaleClusters.OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
            b = new PgBouncer(cluster, mode, dir);
        } catch (IOException e) {
            throw new PgStartException("cannot create the pgbouncer directory: " + e, e);
        }
        installShutdownHook();
        LIVE.add(b);
        try {
            b.launch(exe);
            return b;
        } catch (IOException | RuntimeException e) {
            PgStartException failure = e instanceof PgStartException ? (PgStartException) e
                    : new PgStartException("cannot start pgbouncer: " + e + b.logSection(), e);
            b.close();
            throw failure;
        }
    }

    /**
     * The executable used: {@value #EXECUTABLE_PROPERTY} if set, else {@value #DEFAULT_EXECUTABLE}.
     *
     * @return its path (which may not exist)
     */
    public static Path executable() {
        String p = System.getProperty(EXECUTABLE_PROPERTY);
        return Path.of(p != null && !p.isBlank() ? p.trim() : DEFAULT_EXECUTABLE);
    }

    private void launch(Path exe) throws IOException {
        Files.writeString(directory.resolve("userlist.txt"),
                quote(TestRoles.SCRAM_USER) + " " + quote(TestRoles.SCRAM_PASSWORD) + "\n");
        Os.chown(directory, runAs);
        Os.chown(directory.resolve("userlist.txt"), runAs);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        for (int attempt = 1; ; attempt++) {
            port = freePort();
            Path ini = directory.resolve("pgbouncer.ini");
            Files.writeString(ini, ini());
            Os.chown(ini, runAs);
            List<String> cmd = new ArrayList<>(Os.asUser(runAs));
            cmd.addAll(List.of(exe.toString(), "-d", ini.toString()));
            Os.Result r = Os.run(cmd, directory, 60, null);
            if (r.exitCode == 0 && awaitTcp(deadline)) {
                return;
            }
            String log = log();
            boolean portTaken = log.contains("Address already in use");
            stopProcess();
            if (!portTaken || attempt >= MAX_PORT_ATTEMPTS || System.nanoTime() > deadline) {
                throw new PgStartException("pgbouncer did not start (exit " + r.exitCode + "): " + r.output
                        + logSection());
            }
        }
    }

    private String ini() {
        return String.join("\n",
                "; pgsession testkit: generated",
                "[databases]",
                "* = host=" + cluster.host() + " port=" + cluster.port(),
                "[pgbouncer]",
                "listen_addr = " + HOST,
                "listen_port = " + port,
                "unix_socket_dir =",
                "auth_type = scram-sha-256",
                "auth_file = " + directory.resolve("userlist.txt"),
                "pool_mode = " + mode.iniValue(),
                "max_client_conn = 500",
                "default_pool_size = 20",
                "logfile = " + logFile,
                "pidfile = " + pidFile,
                // The driver asks for IntervalStyle=postgres (the server default) at startup.
                "ignore_startup_parameters = IntervalStyle,extra_float_digits",
                "");
    }

    private boolean awaitTcp(long deadline) {
        do {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(HOST, port), 1000);
                return true;
            } catch (IOException e) {
                // not listening yet
            }
            if (readPid().isEmpty() && Files.exists(logFile) && log().contains("FATAL")) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        } while (System.nanoTime() < deadline);
        return false;
    }

    /**
     * The host PgBouncer listens on.
     *
     * @return {@code "127.0.0.1"}
     */
    public String host() {
        return HOST;
    }

    /**
     * The TCP port PgBouncer listens on.
     *
     * @return the port
     */
    public int port() {
        return port;
    }

    /**
     * The pool mode it runs in.
     *
     * @return the mode
     */
    public PoolMode poolMode() {
        return mode;
    }

    /**
     * The cluster behind it.
     *
     * @return the cluster
     */
    public PgCluster cluster() {
        return cluster;
    }

    /**
     * PgBouncer's log so far.
     *
     * @return the log text, empty if none yet
     */
    public String log() {
        try {
            return Files.exists(logFile) ? Files.readString(logFile) : "";
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e + ")";
        }
    }

    /**
     * Whether {@link #close()} has been called.
     *
     * @return {@code true} once closed
     */
    public boolean isClosed() {
        return closed;
    }

    /** Stops PgBouncer and deletes its directory. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        LIVE.remove(this);
        stopProcess();
        try {
            Os.deleteRecursively(directory);
        } catch (IOException e) {
            // a leftover temp directory is harmless
        }
    }

    @Override
    public String toString() {
        return "PgBouncer[" + mode.iniValue() + " " + HOST + ":" + port + " -> " + cluster + "]";
    }

    private void stopProcess() {
        readPid().flatMap(ProcessHandle::of).ifPresent(p -> {
            p.destroy();
            try {
                p.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        });
    }

    /**
     * Stops the poolers of JVMs that died without their shutdown hook (SIGKILL), as
     * {@link StaleClusters} does for clusters: best effort, live owners' are never touched.
     */
    private static void sweepStale(Path root) {
        try (java.nio.file.DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path dir : dirs) {
                Optional<Long> owner = readLong(dir.resolve(StaleClusters.OWNER_FILE));
                if (owner.isEmpty() || ProcessHandle.of(owner.get()).isPresent()) {
                    continue;
                }
                readLong(dir.resolve("pgbouncer.pid")).flatMap(ProcessHandle::of)
                        .filter(p -> p.info().command().map(c -> c.endsWith("pgbouncer")).orElse(false))
                        .ifPresent(ProcessHandle::destroyForcibly);
                Os.deleteRecursively(dir);
            }
        } catch (IOException | RuntimeException e) {
            // nothing to sweep, or not ours to fix
        }
    }

    private Optional<Long> readPid() {
        return readLong(pidFile);
    }

    private static Optional<Long> readLong(Path file) {
        try {
            return Optional.of(Long.parseLong(Files.readString(file).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private String logSection() {
        return "\n--- pgbouncer log " + logFile + " ---\n" + log();
    }

    private static String quote(String s) {
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(HOST, 0), 1);
            return s.getLocalPort();
        }
    }

    private static synchronized void installShutdownHook() {
        if (!hookInstalled) {
            hookInstalled = true;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> List.copyOf(LIVE).forEach(PgBouncer::close),
                    "pgsession-pgbouncer-shutdown"));
        }
    }
}
