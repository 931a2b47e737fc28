package org.pgsession.testkit;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLContext;

/**
 * The clusters shared by all tests of a JVM: a plain one and a TLS one, each started lazily
 * on first use (thread-safe) and stopped by a JVM shutdown hook. A failed start is
 * remembered: later calls fail at once with the same {@link PgStartException} instead of
 * retrying.
 *
 * <p>The binaries version follows {@link PgBinaries#resolve()} (system property
 * {@value PgBinaries#VERSION_PROPERTY}, environment variable {@value PgBinaries#BIN_ENV}).
 */
public final class TestClusters {

    private static final Shared PLAIN = new Shared(ClusterConfig.defaults());
    private static final Shared TLS = new Shared(ClusterConfig.defaults().withTls(true));
    private static final java.util.Map<PgBouncer.PoolMode, SharedBouncer> BOUNCERS =
            new java.util.EnumMap<>(PgBouncer.PoolMode.class);
    private static volatile SSLContext untrusted;

    private TestClusters() {
    }

    /**
     * The shared cluster without TLS (the server answers {@code 'N'} to an SSLRequest).
     *
     * @return the running cluster; do not close it
     * @throws PgStartException if it could not be started (now or earlier)
     */
    public static PgCluster plain() {
        return PLAIN.get();
    }

    /**
     * The shared cluster with TLS; trust it with {@link PgCluster#clientSslContext()}. Its
     * certificate names {@code localhost} only.
     *
     * @return the running cluster; do not close it
     * @throws PgStartException if it could not be started (now or earlier)
     */
    public static PgCluster tls() {
        return TLS.get();
    }

    /**
     * The shared PgBouncer in front of {@link #plain()} in the given pool mode, started lazily;
     * a failed start is remembered like a cluster's.
     *
     * @param mode the pool mode
     * @return the running pooler; do not close it
     * @throws PgStartException if it (or the plain cluster) could not be started (now or earlier)
     */
    public static PgBouncer pgBouncer(PgBouncer.PoolMode mode) {
        SharedBouncer shared;
        synchronized (BOUNCERS) {
            shared = BOUNCERS.computeIfAbsent(mode, SharedBouncer::new);
        }
        return shared.get();
    }

    /**
     * Ensures both shared clusters run, starting those not yet started in parallel.
     *
     * @throws PgStartException if either could not be started (now or earlier)
     */
    public static void startAll() {
        CompletableFuture<PgCluster> tls = CompletableFuture.supplyAsync(TestClusters::tls);
        PgStartException plainFailure = null;
        try {
            plain();
        } catch (PgStartException e) {
            plainFailure = e;
        }
        try {
            tls.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (plainFailure != null) {
                plainFailure.addSuppressed(cause);
            } else if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            } else {
                throw new PgStartException("cannot start the TLS cluster: " + cause, cause);
            }
        }
        if (plainFailure != null) {
            throw plainFailure;
        }
    }

    /**
     * A TLS client context trusting a freshly generated CA that signed nothing the test
     * clusters use: handshakes with it must fail ("wrong CA" tests). Generated once per JVM.
     *
     * @return the context
     */
    public static SSLContext untrustedSslContext() {
        SSLContext ctx = untrusted;
        if (ctx == null) {
            synchronized (TestClusters.class) {
                ctx = untrusted;
                if (ctx == null) {
                    ctx = TestCertificates.trusting(TestCertificates.newCa("pgsession untrusted CA").certificate);
                    untrusted = ctx;
                }
            }
        }
        return ctx;
    }

    /** One lazily started cluster that remembers its start failure. */
    private static final class Shared {
        private final ClusterConfig config;
        private PgCluster cluster;
        private PgStartException failure;

        Shared(ClusterConfig config) {
            this.config = config;
        }

        synchronized PgCluster get() {
            if (failure != null) {
                throw new PgStartException("shared test cluster failed to start earlier: " + failure.getMessage(),
                        failure);
            }
            if (cluster == null) {
                try {
                    cluster = PgCluster.start(config);
                } catch (PgStartException e) {
                    failure = e;
                    throw e;
                } catch (RuntimeException e) {
                    failure = new PgStartException("cannot start shared test cluster: " + e, e);
                    throw failure;
                }
            }
            return cluster;
        }
    }

    /** One lazily started PgBouncer that remembers its start failure. */
    private static final class SharedBouncer {
        private final PgBouncer.PoolMode mode;
        private PgBouncer bouncer;
        private PgStartException failure;

        SharedBouncer(PgBouncer.PoolMode mode) {
            this.mode = mode;
        }

        synchronized PgBouncer get() {
            if (failure != null) {
                throw new PgStartException("shared pgbouncer failed to start earlier: " + failure.getMessage(), failure);
            }
            if (bouncer == null) {
                try {
                    bouncer = PgBouncer.start(plain(), mode);
                } catch (PgStartException e) {
                    failure = e;
                    throw e;
                }
            }
            return bouncer;
        }
    }
}
