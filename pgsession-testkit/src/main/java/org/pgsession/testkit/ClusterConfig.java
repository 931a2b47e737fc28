package org.pgsession.testkit;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Immutable configuration of a {@link PgCluster}. Start from {@link #defaults()} and derive
 * variants with the {@code with...} methods, each of which returns a new instance.
 *
 * <pre>{@code
 * try (PgCluster pg = PgCluster.start(ClusterConfig.defaults().withTls(true)
 *         .withSetting("log_statement", "all"))) {
 *     ...
 * }
 * }</pre>
 */
public final class ClusterConfig {

    private static final Pattern SETTING_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");
    private static final ClusterConfig DEFAULTS =
            new ClusterConfig(false, Map.of(), null, Duration.ofSeconds(60));

    private final boolean tls;
    private final Map<String, String> settings;
    private final String pgVersion;
    private final Duration startTimeout;

    private ClusterConfig(boolean tls, Map<String, String> settings, String pgVersion, Duration startTimeout) {
        this.tls = tls;
        this.settings = settings;
        this.pgVersion = pgVersion;
        this.startTimeout = startTimeout;
    }

    /**
     * The default configuration: no TLS, no extra settings, binaries chosen by
     * {@link PgBinaries#resolve()}, a 60 second start timeout.
     *
     * @return the defaults
     */
    public static ClusterConfig defaults() {
        return DEFAULTS;
    }

    /**
     * Enables or disables TLS ({@code ssl=on} with a generated CA and server certificate).
     *
     * @param enabled whether the server offers TLS
     * @return a new configuration
     */
    public ClusterConfig withTls(boolean enabled) {
        return new ClusterConfig(enabled, settings, pgVersion, startTimeout);
    }

    /**
     * Adds a server setting written to {@code postgresql.conf}; it overrides the testkit's
     * own settings of the same name. The value is quoted as needed.
     *
     * @param name a setting name such as {@code log_statement}
     * @param value its value such as {@code all}
     * @return a new configuration
     * @throws IllegalArgumentException if the name is not a valid setting name
     */
    public ClusterConfig withSetting(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (!SETTING_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid setting name: " + name);
        }
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("setting value must be a single line: " + name);
        }
        Map<String, String> copy = new LinkedHashMap<>(settings);
        copy.put(name, value);
        return new ClusterConfig(tls, Collections.unmodifiableMap(copy), pgVersion, startTimeout);
    }

    /**
     * Selects the zonky binaries version (e.g. {@code 17.6.0}) instead of the default.
     *
     * @param version the version, or {@code null} for the default choice
     * @return a new configuration
     */
    public ClusterConfig withPgVersion(String version) {
        return new ClusterConfig(tls, settings, version, startTimeout);
    }

    /**
     * Sets how long {@link PgCluster#start(ClusterConfig)} waits for the server to accept
     * connections.
     *
     * @param timeout a positive duration
     * @return a new configuration
     * @throws IllegalArgumentException if not positive
     */
    public ClusterConfig withStartTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("start timeout must be positive: " + timeout);
        }
        return new ClusterConfig(tls, settings, pgVersion, timeout);
    }

    /**
     * Whether TLS is enabled.
     *
     * @return {@code true} for a TLS cluster
     */
    public boolean tls() {
        return tls;
    }

    /**
     * The extra server settings, in the order added.
     *
     * @return an unmodifiable map from setting name to value
     */
    public Map<String, String> settings() {
        return settings;
    }

    /**
     * The explicitly selected binaries version.
     *
     * @return the version, or empty for the default choice
     */
    public Optional<String> pgVersion() {
        return Optional.ofNullable(pgVersion);
    }

    /**
     * How long starting may take.
     *
     * @return the start timeout
     */
    public Duration startTimeout() {
        return startTimeout;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ClusterConfig)) {
            return false;
        }
        ClusterConfig c = (ClusterConfig) o;
        return tls == c.tls && settings.equals(c.settings) && Objects.equals(pgVersion, c.pgVersion)
                && startTimeout.equals(c.startTimeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tls, settings, pgVersion, startTimeout);
    }

    @Override
    public String toString() {
        return "ClusterConfig[tls=" + tls + ", settings=" + settings + ", pgVersion="
                + (pgVersion == null ? "default" : pgVersion) + ", startTimeout=" + startTimeout + "]";
    }
}
