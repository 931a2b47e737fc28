package org.pgsession.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/** Starting and stopping PgBouncer in front of a cluster (needs pgbouncer installed, as CI has). */
class PgBouncerTest {

    @Test
    void startsInFrontOfAClusterAndStops() throws Exception {
        PgCluster pg = TestClusters.plain();
        int port;
        try (PgBouncer b = PgBouncer.start(pg, PgBouncer.PoolMode.TRANSACTION)) {
            port = b.port();
            assertThat(b.host()).isEqualTo("127.0.0.1");
            assertThat(port).isNotEqualTo(pg.port());
            assertThat(b.poolMode()).isEqualTo(PgBouncer.PoolMode.TRANSACTION);
            assertThat(b.cluster()).isSameAs(pg);
            assertThat(PgClusterTest.sslResponse(port)).isEqualTo('N'); // PgBouncer answers, without TLS
            assertThat(b.log()).contains("process up");
        }
        assertThatThrownBy(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            }
        }).isInstanceOf(ConnectException.class);
    }

    @Test
    void sharedPoolersAreStartedOncePerMode() {
        PgBouncer session = TestClusters.pgBouncer(PgBouncer.PoolMode.SESSION);
        assertThat(TestClusters.pgBouncer(PgBouncer.PoolMode.SESSION)).isSameAs(session);
        assertThat(session.poolMode()).isEqualTo(PgBouncer.PoolMode.SESSION);
        assertThat(session.isClosed()).isFalse();
    }

    @Test
    void aMissingExecutableSaysHowToInstallIt() {
        String before = System.getProperty(PgBouncer.EXECUTABLE_PROPERTY);
        System.setProperty(PgBouncer.EXECUTABLE_PROPERTY, "/nonexistent/pgbouncer");
        try {
            assertThatThrownBy(() -> PgBouncer.start(TestClusters.plain(), PgBouncer.PoolMode.SESSION))
                    .isInstanceOf(PgStartException.class)
                    .hasMessageContaining("/nonexistent/pgbouncer")
                    .hasMessageContaining("apt-get install pgbouncer");
        } finally {
            if (before == null) {
                System.clearProperty(PgBouncer.EXECUTABLE_PROPERTY);
            } else {
                System.setProperty(PgBouncer.EXECUTABLE_PROPERTY, before);
            }
        }
    }
}
