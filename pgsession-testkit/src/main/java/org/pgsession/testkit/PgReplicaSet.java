package org.pgsession.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;

/**
 * A primary {@link PgCluster} with one streaming hot {@link PgStandby}, for tests of
 * {@code target_session_attrs}, load balancing and failover.
 *
 * <p>The zonky binaries have no {@code pg_basebackup}, so the standby is made the classic way:
 * the primary is initialised and started ({@code wal_level=replica}, WAL senders, a
 * {@code replication} pg_hba rule for loopback), stopped cleanly, its data directory copied, the
 * copy given {@code standby.signal} and a {@code primary_conninfo}; then both start, and
 * {@link #start} returns once the standby logs that it streams WAL from the primary.
 *
 * <p>{@link #shared()} is one replica set per JVM for tests that leave it as it is; a test that
 * stops the primary or promotes the standby starts its own with {@link #start()} and closes it.
 */
public final class PgReplicaSet implements AutoCloseable {

    private static PgReplicaSet shared;
    private static PgStartException sharedFailure;

    private final PgCluster primary;
    private final PgStandby standby;

    private PgReplicaSet(PgCluster primary, PgStandby standby) {
        this.primary = primary;
        this.standby = standby;
    }

    /**
     * Starts a replica set with {@link ClusterConfig#defaults()}.
     *
     * @return the running primary and streaming standby
     * @throws PgStartException if either cannot be started
     */
    public static PgReplicaSet start() {
        return start(ClusterConfig.defaults());
    }

    /**
     * Starts a replica set; the primary gets {@code config} plus the replication settings.
     *
     * @param config the primary's configuration (the standby copies it)
     * @return the running primary and streaming standby
     * @throws PgStartException if either cannot be started
     */
    public static PgReplicaSet start(ClusterConfig config) {
        PgCluster primary = PgCluster.start(config.withSetting("wal_level", "replica")
                .withSetting("max_wal_senders", "5").withSetting("hot_standby", "on")
                .withSetting("wal_keep_size", "256MB"));
        PgStandby standby = null;
        try {
            primary.stopServer(); // a clean (fast) shutdown: the copy starts from its checkpoint
            Files.writeString(primary.dataDirectory().resolve("pg_hba.conf"),
                    "host replication all 127.0.0.1/32 trust\n", StandardOpenOption.APPEND);
            standby = PgStandby.copyOf(primary);
            primary.launch();
            standby.start(primary);
            return new PgReplicaSet(primary, standby);
        } catch (IOException | RuntimeException e) {
            PgStartException failure = e instanceof PgStartException ? (PgStartException) e
                    : new PgStartException("cannot start the replica set: " + e, e);
            for (AutoCloseable c : new AutoCloseable[] {standby, primary}) {
                RuntimeException suppressed = c == null ? null : closeQuietly(c);
                if (suppressed != null) {
                    failure.addSuppressed(suppressed);
                }
            }
            throw failure;
        }
    }

    /**
     * The replica set shared by the tests of this JVM, started on first use. Do not close it, stop
     * its primary or promote its standby. A failed start is remembered and rethrown.
     *
     * @return the running replica set
     * @throws PgStartException if it could not be started (now or earlier)
     */
    public static synchronized PgReplicaSet shared() {
        if (sharedFailure != null) {
            throw new PgStartException("the shared replica set failed to start earlier: " + sharedFailure.getMessage(),
                    sharedFailure);
        }
        if (shared == null) {
            try {
                shared = start();
            } catch (PgStartException e) {
                sharedFailure = e;
                throw e;
            }
        }
        return shared;
    }

    /**
     * The primary (read-write).
     *
     * @return the primary cluster
     */
    public PgCluster primary() {
        return primary;
    }

    /**
     * The hot standby streaming from the primary (read-only until promoted).
     *
     * @return the standby
     */
    public PgStandby standby() {
        return standby;
    }

    /** Stops and deletes the standby and the primary. Idempotent. */
    @Override
    public void close() {
        RuntimeException first = closeQuietly(standby);
        RuntimeException second = closeQuietly(primary);
        if (first != null) {
            if (second != null) {
                first.addSuppressed(second);
            }
            throw first;
        }
        if (second != null) {
            throw second;
        }
    }

    @Override
    public String toString() {
        return "PgReplicaSet[primary " + primary + ", standby " + standby + "]";
    }

    /** @return the failure of closing {@code c}, or null */
    private static RuntimeException closeQuietly(AutoCloseable c) {
        try {
            c.close();
            return null;
        } catch (RuntimeException e) {
            return e;
        } catch (Exception e) {
            return new IllegalStateException(e);
        }
    }
}
