package org.pgsession.testkit;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension making sure the shared {@link TestClusters} (plain and TLS) run before a
 * test class starts. Use it as {@code @ExtendWith(PgTestExtension.class)}.
 *
 * <p>If a cluster cannot start, the class fails at once with a {@link PgStartException}
 * carrying the server log; the failure is remembered so that every later class of the same
 * JVM fails immediately instead of trying again.
 */
public final class PgTestExtension implements BeforeAllCallback {

    private static volatile PgStartException failure;

    /** Creates the extension (JUnit does this). */
    public PgTestExtension() {
    }

    /**
     * Starts the shared clusters if needed.
     *
     * @param context the test class context
     * @throws PgStartException if a cluster cannot start, now or in an earlier class
     */
    @Override
    public void beforeAll(ExtensionContext context) {
        PgStartException earlier = failure;
        if (earlier != null) {
            throw new PgStartException("PostgreSQL test clusters failed to start earlier in this JVM: "
                    + earlier.getMessage(), earlier);
        }
        try {
            TestClusters.startAll();
        } catch (PgStartException e) {
            failure = e;
            throw e;
        } catch (RuntimeException e) {
            PgStartException wrapped = new PgStartException("cannot start PostgreSQL test clusters: " + e, e);
            failure = wrapped;
            throw wrapped;
        }
    }
}
