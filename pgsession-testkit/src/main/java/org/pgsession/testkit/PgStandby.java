package org.pgsession.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A streaming hot standby of a {@link PgCluster}, made by {@link PgReplicaSet}: a copy of the
 * cleanly stopped primary's data directory with {@code standby.signal} and a
 * {@code primary_conninfo} pointing at the primary. It listens on {@code 127.0.0.1} at its own
 * port, accepts the same roles and passwords as the primary, and answers read-only queries
 * ({@code in_hot_standby} is {@code on}) until {@link #promote()}.
 *
 * <p>{@link #close()} stops the server and deletes its directories; standbys not closed are
 * stopped by a JVM shutdown hook.
 */
public final class PgStandby implements AutoCloseable {

    private static final String HOST = "127.0.0.1";
    private static final int MAX_PORT_ATTEMPTS = 5;
    private static final Set<PgStandby> LIVE = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean HOOK_INSTALLED = new AtomicBoolean();

    private final PgBinaries binaries;
    private final String serverUser;
    private final Path directory;
    private final Path dataDirectory;
    private final Path socketDirectory;
    private final Path logFile;
    private final Duration timeout;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile int port;

    private PgStandby(PgBinaries binaries, String serverUser, Path directory, Duration timeout) {
        this.binaries = binaries;
        this.serverUser = serverUser;
        this.directory = directory;
        this.dataDirectory = directory.resolve("data");
        this.socketDirectory = directory.resolve("sock");
        this.logFile = directory.resolve("server.log");
        this.timeout = timeout;
    }

    /**
     * Copies the data directory of a stopped primary (as the server user, so ownership and modes
     * stay what PostgreSQL wants).
     */
    static PgStandby copyOf(PgCluster primary) throws IOException {
        if (HOOK_INSTALLED.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(PgStandby::closeAllLive, "pgsession-testkit-standby-stop"));
        }
        Path dir = Files.createTempDirectory(Os.sharedTempDir("pgsession-clusters"), "s");
        Files.setPosixFilePermissions(dir, Os.MODE_755);
        Files.writeString(dir.resolve(StaleClusters.OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
        PgStandby s = new PgStandby(primary.binaries(), Os.serverUser(), dir, primary.config().startTimeout());
        LIVE.add(s);
        Files.createDirectory(s.socketDirectory);
        Files.setPosixFilePermissions(s.socketDirectory, Os.MODE_755);
        Files.writeString(s.logFile, "");
        for (Path p : List.of(dir, s.socketDirectory, s.logFile)) {
            Os.chown(p, s.serverUser);
        }
        s.run("copy of the primary's data directory",
                List.of("cp", "-a", primary.dataDirectory().toString(), s.dataDirectory.toString()));
        Files.deleteIfExists(s.dataDirectory.resolve("postmaster.pid"));
        Files.deleteIfExists(s.dataDirectory.resolve("postmaster.opts"));
        Path signal = s.dataDirectory.resolve("standby.signal");
        Files.writeString(signal, "");
        Os.chown(signal, s.serverUser);
        return s;
    }

    /** Points the copy at the primary's (current) port and starts it in hot standby. */
    void start(PgCluster primary) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String conninfo = "host=" + primary.host() + " port=" + primary.port() + " user=" + TestRoles.SCRAM_USER
                + " password=" + TestRoles.SCRAM_PASSWORD + " application_name=pgsession_standby";
        for (int attempt = 1; ; attempt++) {
            port = PgCluster.freePort();
            appendConf("port = " + port + "\nunix_socket_directories = '" + socketDirectory + "'\nhot_standby = on\n"
                    + "primary_conninfo = '" + conninfo.replace("'", "''") + "'\n");
            long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime()));
            List<String> cmd = List.of(binaries.pgCtl().toString(), "start", "-D", dataDirectory.toString(), "-l",
                    logFile.toString(), "-w", "-t", Long.toString(seconds), "-s");
            Os.Result r = Os.run(withUser(cmd), directory, seconds + 30, null);
            if (r.exitCode == 0) {
                break;
            }
            String log = serverLog();
            boolean portTaken = log.contains("could not bind") || log.contains("Address already in use");
            if (!portTaken || attempt >= MAX_PORT_ATTEMPTS || System.nanoTime() > deadline) {
                throw failure("pg_ctl start (standby)", r);
            }
            stopServer();
        }
        awaitLog("started streaming WAL", deadline);
    }

    /** Waits until the server log contains {@code line} (lc_messages is C). */
    private void awaitLog(String line, long deadline) {
        while (!serverLog().contains(line)) {
            if (System.nanoTime() > deadline) {
                throw new PgStartException("the standby did not log \"" + line + "\" in time" + logSection());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PgStartException("interrupted while waiting for the standby", e);
            }
        }
    }

    /**
     * Promotes the standby to a primary ({@code pg_ctl promote -w}): returns once it accepts
     * writes.
     *
     * @throws PgStartException if the promotion fails or times out
     */
    public void promote() {
        List<String> cmd = List.of(binaries.pgCtl().toString(), "promote", "-D", dataDirectory.toString(), "-w",
                "-t", Long.toString(timeout.toSeconds()), "-s");
        try {
            Os.Result r = Os.run(withUser(cmd), directory, timeout.toSeconds() + 30, null);
            if (r.exitCode != 0) {
                throw failure("pg_ctl promote", r);
            }
        } catch (IOException e) {
            throw new PgStartException("pg_ctl promote failed: " + e + logSection(), e);
        }
    }

    /**
     * The host the standby listens on.
     *
     * @return {@code "127.0.0.1"}
     */
    public String host() {
        return HOST;
    }

    /**
     * The TCP port the standby listens on.
     *
     * @return the port
     */
    public int port() {
        return port;
    }

    /**
     * The standby's data directory.
     *
     * @return the data directory
     */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /**
     * The standby's server log so far (empty once closed).
     *
     * @return the log
     */
    public String serverLog() {
        try {
            return new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stops the server (fast shutdown) and deletes its directories. Idempotent.
     *
     * @throws UncheckedIOException if the directories cannot be deleted
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            stopServer();
            Os.deleteRecursively(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            LIVE.remove(this);
        }
    }

    @Override
    public String toString() {
        return "PgStandby[" + binaries.version() + " " + HOST + ":" + port + ", data " + dataDirectory + "]";
    }

    private void stopServer() {
        PgCluster.stopServer(binaries, serverUser, dataDirectory, directory);
    }

    private void appendConf(String lines) throws IOException {
        Files.writeString(dataDirectory.resolve("postgresql.conf"), "\n# pgsession testkit: standby\n" + lines,
                StandardOpenOption.APPEND);
    }

    private void run(String what, List<String> command) throws IOException {
        Os.Result r = Os.run(withUser(command), directory, timeout.toSeconds() + 30, null);
        if (r.exitCode != 0) {
            throw failure(what, r);
        }
    }

    private List<String> withUser(List<String> command) {
        List<String> full = new ArrayList<>(Os.asUser(serverUser));
        full.addAll(command);
        return full;
    }

    private PgStartException failure(String what, Os.Result r) {
        return new PgStartException("PostgreSQL " + binaries.version() + " standby: " + what + " failed (exit "
                + r.exitCode + ")\n--- command output ---\n" + r.output + logSection());
    }

    private String logSection() {
        String log = serverLog();
        return "\n--- standby log " + logFile + " ---\n"
                + (log.length() <= 64 * 1024 ? log : log.substring(log.length() - 64 * 1024));
    }

    private static void closeAllLive() {
        for (PgStandby s : List.copyOf(LIVE)) {
            try {
                s.close();
            } catch (RuntimeException ignored) {
                // best effort at exit
            }
        }
    }
}
