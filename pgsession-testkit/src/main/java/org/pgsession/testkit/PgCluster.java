package org.pgsession.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;

/**
 * A throw-away PostgreSQL server ("cluster" in PostgreSQL terms) for tests and demos.
 *
 * <p>Each cluster gets a fresh data directory under
 * {@code <java.io.tmpdir>/pgsession-clusters/<random>/}, listens on {@code 127.0.0.1} at a
 * free random port and on a unix socket in its own directory, runs with durability off
 * ({@code fsync}, {@code synchronous_commit}, {@code full_page_writes}) and
 * {@code max_connections=300}, and has one role per authentication method (see
 * {@link TestRoles}). With {@link ClusterConfig#withTls(boolean) TLS} it also has a
 * generated CA and a server certificate for {@code DNS:localhost} only, verifies client
 * certificates against that CA, and offers a client certificate for {@link TestRoles#CERT_USER}.
 *
 * <p>PostgreSQL refuses to run as root. When this JVM runs as root, {@code initdb},
 * {@code pg_ctl} and the server run as the unprivileged user {@code postgres} (or
 * {@code nobody} if there is no such account) through {@code runuser}, and the cluster's
 * directories are owned by that user.
 *
 * <p>{@link #close()} stops the server and deletes its directories. Clusters not closed are
 * stopped by a JVM shutdown hook.
 */
public final class PgCluster implements AutoCloseable {

    private static final String HOST = "127.0.0.1";
    private static final int MAX_PORT_ATTEMPTS = 5;
    private static final int MAX_LOG_CHARS = 64 * 1024;
    private static final Set<PgCluster> LIVE = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean HOOK_INSTALLED = new AtomicBoolean();
    private static final AtomicBoolean SWEPT = new AtomicBoolean();

    private final ClusterConfig config;
    private final PgBinaries binaries;
    private final String serverUser;
    private final Path clusterDirectory;
    private final Path dataDirectory;
    private final Path socketDirectory;
    private final Path logFile;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile int port;
    private volatile Path caCertificatePem;
    private volatile Path clientCertificatePem;
    private volatile Path clientKeyPem;
    private volatile SSLContext clientSslContext;

    private PgCluster(ClusterConfig config, PgBinaries binaries, String serverUser, Path clusterDirectory,
            Path socketDirectory) {
        this.config = config;
        this.binaries = binaries;
        this.serverUser = serverUser;
        this.clusterDirectory = clusterDirectory;
        this.dataDirectory = clusterDirectory.resolve("data");
        this.socketDirectory = socketDirectory;
        this.logFile = clusterDirectory.resolve("server.log");
    }

    /**
     * Starts a cluster with {@link ClusterConfig#defaults()}.
     *
     * @return the running cluster
     * @throws PgStartException if it cannot be created or started
     */
    public static PgCluster start() {
        return start(ClusterConfig.defaults());
    }

    /**
     * Creates and starts a cluster; returns once it accepts TCP connections.
     *
     * @param config the configuration
     * @return the running cluster; close it to stop the server and delete its files
     * @throws PgStartException if it cannot be created or started; the message holds the
     *     failing command's output and the server log
     */
    public static PgCluster start(ClusterConfig config) {
        PgBinaries binaries;
        try {
            binaries = config.pgVersion().map(PgBinaries::resolve).orElseGet(PgBinaries::resolve);
        } catch (RuntimeException e) {
            throw new PgStartException("cannot obtain PostgreSQL binaries: " + e.getMessage(), e);
        }
        installShutdownHook();
        PgCluster cluster;
        try {
            Path root = Os.sharedTempDir("pgsession-clusters");
            if (SWEPT.compareAndSet(false, true)) {
                StaleClusters.sweep(root);
            }
            Path dir = Files.createTempDirectory(root, "c");
            Files.setPosixFilePermissions(dir, Os.MODE_755);
            Files.writeString(dir.resolve(StaleClusters.OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
            Path sock = dir.resolve("sock");
            // sun_path holds 107 bytes: fall back to a short directory if ours is too deep.
            if (sock.toString().length() + "/.s.PGSQL.65535.lock".length() > 100) {
                sock = Files.createTempDirectory(Path.of("/tmp"), "pgs");
            } else {
                Files.createDirectory(sock);
            }
            Files.setPosixFilePermissions(sock, Os.MODE_755);
            cluster = new PgCluster(config, binaries, Os.serverUser(), dir, sock);
        } catch (IOException e) {
            throw new PgStartException("cannot create cluster directories: " + e, e);
        }
        LIVE.add(cluster);
        try {
            cluster.create();
            cluster.launch();
            return cluster;
        } catch (RuntimeException | IOException e) {
            PgStartException failure = e instanceof PgStartException ? (PgStartException) e
                    : new PgStartException("cannot start PostgreSQL: " + e + cluster.logSection(), e);
            try {
                cluster.close();
            } catch (RuntimeException suppressed) {
                failure.addSuppressed(suppressed);
            }
            throw failure;
        }
    }

    private void create() throws IOException {
        Os.chown(clusterDirectory, serverUser);
        Os.chown(socketDirectory, serverUser);
        Files.writeString(logFile, "", StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
        Os.chown(logFile, serverUser);

        run("initdb", List.of(binaries.initdb().toString(), "-D", dataDirectory.toString(), "-U",
                TestRoles.SCRAM_USER, "--auth=trust", "-E", "UTF8", "--locale=C", "-N"), null);

        String roles = String.join("\n",
                "SET password_encryption = 'scram-sha-256'",
                "ALTER ROLE " + TestRoles.SCRAM_USER + " WITH PASSWORD " + literal(TestRoles.SCRAM_PASSWORD),
                "CREATE ROLE " + TestRoles.PASSWORD_USER + " LOGIN PASSWORD " + literal(TestRoles.PASSWORD_PASSWORD),
                "CREATE ROLE " + TestRoles.TRUST_USER + " LOGIN",
                "CREATE ROLE " + TestRoles.REJECT_USER + " LOGIN PASSWORD " + literal(TestRoles.REJECT_USER),
                "CREATE ROLE " + TestRoles.CERT_USER + " LOGIN PASSWORD " + literal(TestRoles.CERT_PASSWORD),
                "SET password_encryption = 'md5'",
                "CREATE ROLE " + TestRoles.MD5_USER + " LOGIN PASSWORD " + literal(TestRoles.MD5_PASSWORD),
                "GRANT CONNECT, CREATE ON DATABASE " + TestRoles.DATABASE + " TO " + nonSuperusers(),
                "GRANT USAGE, CREATE ON SCHEMA public TO " + nonSuperusers(),
                "");
        run("postgres --single (role setup)", List.of(binaries.postgres().toString(), "--single", "-D",
                dataDirectory.toString(), "-F", "-c", "exit_on_error=true", TestRoles.DATABASE), roles);

        if (config.tls()) {
            writeTlsMaterial();
        }
        writeHba();
        appendConf(baseSettings());
    }

    /** Starts the server (again) on a free port; package-private for {@link PgReplicaSet}. */
    void launch() throws IOException {
        long deadline = System.nanoTime() + config.startTimeout().toNanos();
        for (int attempt = 1; ; attempt++) {
            port = freePort();
            appendConf(Map.of("port", Integer.toString(port)));
            long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime()));
            List<String> cmd = List.of(binaries.pgCtl().toString(), "start", "-D", dataDirectory.toString(),
                    "-l", logFile.toString(), "-w", "-t", Long.toString(seconds), "-s");
            Os.Result r = Os.run(withUser(cmd), clusterDirectory, seconds + 30, null);
            if (r.exitCode == 0) {
                break;
            }
            String log = serverLog();
            boolean portTaken = log.contains("could not bind") || log.contains("Address already in use");
            if (!portTaken || attempt >= MAX_PORT_ATTEMPTS || System.nanoTime() > deadline) {
                throw failure("pg_ctl start", cmd, r);
            }
            stopServer(); // another process grabbed the port between probe and bind: retry
        }
        awaitTcp(deadline);
    }

    private void awaitTcp(long deadline) {
        IOException last = null;
        do {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(HOST, port), 1000);
                return;
            } catch (IOException e) {
                last = e;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        } while (System.nanoTime() < deadline);
        throw new PgStartException("PostgreSQL started but does not accept TCP connections on " + HOST + ":" + port
                + ": " + last + logSection());
    }

    private Map<String, String> baseSettings() {
        Map<String, String> s = new java.util.LinkedHashMap<>();
        s.put("listen_addresses", HOST);
        s.put("unix_socket_directories", socketDirectory.toString());
        s.put("fsync", "off");
        s.put("synchronous_commit", "off");
        s.put("full_page_writes", "off");
        s.put("max_connections", "300");
        s.put("lc_messages", "C");
        if (config.tls()) {
            s.put("ssl", "on");
            s.put("ssl_cert_file", "server.crt");
            s.put("ssl_key_file", "server.key");
            s.put("ssl_ca_file", "root.crt"); // verifies client certificates (clientcert=verify-full)
        }
        s.putAll(config.settings());
        return s;
    }

    private void appendConf(Map<String, String> settings) throws IOException {
        StringBuilder sb = new StringBuilder("\n# pgsession testkit\n");
        settings.forEach((k, v) -> sb.append(k).append(" = '")
                .append(v.replace("\\", "\\\\").replace("'", "''")).append("'\n"));
        Files.writeString(dataDirectory.resolve("postgresql.conf"), sb, StandardOpenOption.APPEND);
    }

    private void writeHba() throws IOException {
        StringBuilder sb = new StringBuilder("# pgsession testkit: one role per authentication method\n");
        sb.append("local all all trust\n");
        String[][] rules = {
            {TestRoles.REJECT_USER, "reject"},
            {TestRoles.SCRAM_USER, "scram-sha-256"},
            {TestRoles.MD5_USER, "md5"},
            {TestRoles.PASSWORD_USER, "password"},
            {TestRoles.TRUST_USER, "trust"},
        };
        for (String net : new String[] {"127.0.0.1/32", "::1/128"}) {
            for (String[] rule : rules) {
                // "host" matches TCP with or without TLS, so TLS clusters accept both.
                sb.append("host all ").append(rule[0]).append(' ').append(net).append(' ').append(rule[1]).append('\n');
            }
            if (config.tls()) {
                // Client-certificate login: TLS, a certificate whose CN is the role, and the password.
                sb.append("hostssl all ").append(TestRoles.CERT_USER).append(' ').append(net)
                        .append(" scram-sha-256 clientcert=verify-full\n");
            }
        }
        Files.writeString(dataDirectory.resolve("pg_hba.conf"), sb, StandardOpenOption.TRUNCATE_EXISTING);
    }

    private void writeTlsMaterial() throws IOException {
        TestCertificates.ServerMaterial m = TestCertificates.newServerMaterial();
        Path crt = dataDirectory.resolve("server.crt");
        Path key = dataDirectory.resolve("server.key");
        Files.writeString(crt, TestCertificates.pem(m.server.certificate));
        Files.deleteIfExists(key);
        Files.createFile(key, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(Os.MODE_600));
        Files.writeString(key, TestCertificates.pem(m.server.privateKey), StandardOpenOption.TRUNCATE_EXISTING);
        Files.setPosixFilePermissions(key, Os.MODE_600);
        Os.chown(crt, serverUser);
        Os.chown(key, serverUser);
        Path rootCrt = dataDirectory.resolve("root.crt");
        Files.writeString(rootCrt, TestCertificates.pem(m.ca.certificate));
        Os.chown(rootCrt, serverUser);
        Path ca = clusterDirectory.resolve("ca.crt"); // outside the 0700 data dir: readable by anyone
        Files.writeString(ca, TestCertificates.pem(m.ca.certificate));
        caCertificatePem = ca;
        // The client side, owned by this JVM's user: a certificate for CERT_USER and its PKCS#8 key (0600).
        TestCertificates.Issued client = TestCertificates.newClientCertificate(m.ca, TestRoles.CERT_USER);
        Path clientCrt = clusterDirectory.resolve("client.crt");
        Path clientKey = clusterDirectory.resolve("client.key");
        Files.writeString(clientCrt, TestCertificates.pem(client.certificate));
        TestCertificates.writePrivate(clientKey, TestCertificates.pkcs8Pem(client.privateKey));
        clientCertificatePem = clientCrt;
        clientKeyPem = clientKey;
        clientSslContext = TestCertificates.trusting(m.ca.certificate);
    }

    /**
     * The host the server listens on.
     *
     * @return {@code "127.0.0.1"}
     */
    public String host() {
        return HOST;
    }

    /**
     * The TCP port the server listens on.
     *
     * @return the port
     */
    public int port() {
        return port;
    }

    /**
     * The directory holding the server's unix socket {@code .s.PGSQL.<port>}.
     *
     * @return the socket directory
     */
    public Path socketDirectory() {
        return socketDirectory;
    }

    /**
     * The data directory (mode 0700, owned by the server user).
     *
     * @return the data directory
     */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /**
     * The version of the server binaries, e.g. {@code "18.1.0"}.
     *
     * @return the version
     */
    public String pgVersion() {
        return binaries.version();
    }

    /**
     * The binaries this cluster runs.
     *
     * @return the binaries
     */
    public PgBinaries binaries() {
        return binaries;
    }

    /**
     * The configuration this cluster was started with.
     *
     * @return the configuration
     */
    public ClusterConfig config() {
        return config;
    }

    /**
     * Whether the server offers TLS.
     *
     * @return {@code true} for a TLS cluster
     */
    public boolean tls() {
        return config.tls();
    }

    /**
     * A TLS client context trusting this cluster's generated CA (and nothing else). It does no
     * hostname verification by itself; clients should verify {@code localhost}.
     *
     * @return the context
     * @throws IllegalStateException if this is not a TLS cluster
     */
    public SSLContext clientSslContext() {
        requireTls();
        return clientSslContext;
    }

    /**
     * The PEM file of this cluster's CA certificate (world-readable).
     *
     * @return the file
     * @throws IllegalStateException if this is not a TLS cluster
     */
    public Path caCertificatePem() {
        requireTls();
        return caCertificatePem;
    }

    /**
     * The PEM file of a client certificate for {@link TestRoles#CERT_USER} signed by this
     * cluster's CA (the server verifies client certificates against that CA).
     *
     * @return the file
     * @throws IllegalStateException if this is not a TLS cluster
     */
    public Path clientCertificatePem() {
        requireTls();
        return clientCertificatePem;
    }

    /**
     * The unencrypted PKCS#8 PEM key ({@code BEGIN PRIVATE KEY}) of
     * {@link #clientCertificatePem()}, mode 0600, owned by this JVM's user.
     *
     * @return the file
     * @throws IllegalStateException if this is not a TLS cluster
     */
    public Path clientKeyPem() {
        requireTls();
        return clientKeyPem;
    }

    private void requireTls() {
        if (!config.tls()) {
            throw new IllegalStateException("this cluster was not started with TLS");
        }
    }

    /**
     * The server log so far (empty once the cluster is closed).
     *
     * @return the log file's contents
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
     * Whether {@link #close()} has been called.
     *
     * @return {@code true} once closed
     */
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Stops the server ({@code pg_ctl stop -m fast}, then immediate, then a kill) and deletes
     * the cluster's directories. Idempotent.
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
            Os.deleteRecursively(clusterDirectory);
            if (!socketDirectory.startsWith(clusterDirectory)) {
                Os.deleteRecursively(socketDirectory);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            LIVE.remove(this);
        }
    }

    @Override
    public String toString() {
        return "PgCluster[" + pgVersion() + " " + HOST + ":" + port + (tls() ? " tls" : "") + ", data "
                + dataDirectory + "]";
    }

    /** Stops the server if running: fast, then immediate, then SIGKILL of the postmaster. */
    void stopServer() {
        stopServer(binaries, serverUser, dataDirectory, clusterDirectory);
    }

    static void stopServer(PgBinaries binaries, String user, Path dataDirectory, Path workDir) {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        for (String mode : new String[] {"fast", "immediate"}) {
            try {
                List<String> cmd = new ArrayList<>(Os.asUser(user));
                cmd.addAll(List.of(binaries.pgCtl().toString(), "stop", "-D", dataDirectory.toString(), "-m", mode,
                        "-w", "-t", "30", "-s"));
                if (Os.run(cmd, workDir, 60, null).exitCode == 0 && !Files.exists(pidFile)) {
                    return;
                }
            } catch (IOException e) {
                // try harder below
            }
        }
        try {
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
            ProcessHandle.of(pid).ifPresent(h -> {
                h.destroyForcibly();
                h.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(t -> null).join();
            });
        } catch (IOException | RuntimeException e) {
            // the server is gone or the pid file is unreadable: nothing more to do
        }
    }

    private void run(String what, List<String> command, String stdin) throws IOException {
        Os.Result r = Os.run(withUser(command), clusterDirectory, config.startTimeout().toSeconds() + 30, stdin);
        if (r.exitCode != 0 || r.output.contains("ERROR:") || r.output.contains("FATAL:")) {
            throw failure(what, command, r);
        }
    }

    private List<String> withUser(List<String> command) {
        List<String> full = new ArrayList<>(Os.asUser(serverUser));
        full.addAll(command);
        return full;
    }

    private PgStartException failure(String what, List<String> command, Os.Result r) {
        return new PgStartException("PostgreSQL " + binaries.version() + ": " + what + " failed (exit " + r.exitCode
                + ")" + (serverUser != null ? " running as user " + serverUser : "") + "\ncommand: "
                + String.join(" ", command) + "\n--- command output ---\n" + tail(r.output) + logSection());
    }

    private String logSection() {
        String log;
        try {
            log = serverLog();
        } catch (RuntimeException e) {
            log = "(unreadable: " + e + ")";
        }
        return "\n--- server log " + logFile + " ---\n" + tail(log);
    }

    private static String tail(String s) {
        return s.length() <= MAX_LOG_CHARS ? s : "[...]\n" + s.substring(s.length() - MAX_LOG_CHARS);
    }

    private static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static String nonSuperusers() {
        return String.join(", ", TestRoles.MD5_USER, TestRoles.PASSWORD_USER, TestRoles.TRUST_USER,
                TestRoles.REJECT_USER, TestRoles.CERT_USER);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(HOST, 0), 1);
            return s.getLocalPort();
        }
    }

    private static void installShutdownHook() {
        if (HOOK_INSTALLED.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(PgCluster::closeAllLive, "pgsession-testkit-shutdown"));
        }
    }

    /** Closes every cluster of this JVM still running, in parallel. */
    static void closeAllLive() {
        List<Thread> threads = new ArrayList<>();
        for (PgCluster c : List.copyOf(LIVE)) {
            Thread t = new Thread(() -> {
                try {
                    c.close();
                } catch (RuntimeException ignored) {
                    // best effort at exit
                }
            }, "pgsession-testkit-stop-" + c.port);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            try {
                t.join(Duration.ofSeconds(90).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
