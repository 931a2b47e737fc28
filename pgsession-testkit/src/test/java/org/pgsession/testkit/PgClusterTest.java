package org.pgsession.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Starting, using and stopping individual clusters. */
class PgClusterTest {

    @Test
    void startsAndStopsACluster() throws Exception {
        Path data;
        int port;
        try (PgCluster pg = PgCluster.start(ClusterConfig.defaults().withSetting("application_name", "it's"))) {
            data = pg.dataDirectory();
            port = pg.port();
            assertThat(pg.host()).isEqualTo("127.0.0.1");
            assertThat(pg.pgVersion()).isEqualTo(PgBinaries.resolve().version());
            assertThat(pg.tls()).isFalse();
            assertThat(port).isBetween(1, 65535);
            assertThat(Files.exists(pg.socketDirectory().resolve(".s.PGSQL." + port))).isTrue();
            assertThat(sslResponse(port)).isEqualTo('N');
            assertThat(pg.serverLog()).contains("ready to accept connections");
            String conf = Files.readString(data.resolve("postgresql.conf"));
            assertThat(conf).contains("fsync = 'off'").contains("max_connections = '300'")
                    .contains("application_name = 'it''s'");
            assertThat(Files.readString(data.resolve("pg_hba.conf")))
                    .contains("host all rejectme 127.0.0.1/32 reject")
                    .contains("host all md5user ::1/128 md5")
                    .contains("local all all trust");
            assertThatThrownBy(pg::clientSslContext).isInstanceOf(IllegalStateException.class);
            if (Os.isRoot()) {
                assertThat(Files.getOwner(data).getName()).isEqualTo(Os.serverUser());
            }
        }
        assertThat(Files.exists(data)).isFalse();
        assertRefused(port);
    }

    @Test
    void closeIsIdempotentAndRefusesConnectionsAfterwards() throws Exception {
        PgCluster pg = PgCluster.start();
        int port = pg.port();
        assertThat(sslResponse(port)).isEqualTo('N');
        pg.close();
        assertThat(pg.isClosed()).isTrue();
        assertRefused(port);
        pg.close(); // no-op
        assertThat(pg.serverLog()).isEmpty();
    }

    @Test
    void invalidSettingFailsWithTheServersComplaint() {
        assertThatThrownBy(() -> PgCluster.start(ClusterConfig.defaults().withSetting("shared_buffers", "nonsense")))
                .isInstanceOf(PgStartException.class)
                .hasMessageContaining("shared_buffers")
                .hasMessageContaining("nonsense")
                .hasMessageContaining("invalid value for parameter");
    }

    @Test
    void configIsImmutable() {
        ClusterConfig base = ClusterConfig.defaults();
        ClusterConfig derived = base.withTls(true).withSetting("work_mem", "8MB").withPgVersion("17.6.0")
                .withStartTimeout(Duration.ofSeconds(5));
        assertThat(base.tls()).isFalse();
        assertThat(base.settings()).isEmpty();
        assertThat(base.pgVersion()).isEmpty();
        assertThat(derived.tls()).isTrue();
        assertThat(derived.settings()).containsEntry("work_mem", "8MB");
        assertThat(derived.pgVersion()).contains("17.6.0");
        assertThat(derived.startTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(() -> derived.settings().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> base.withSetting("bad name", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> base.withSetting("x", "a\nb")).isInstanceOf(IllegalArgumentException.class);
    }

    /** Sends an SSLRequest and returns the one-byte answer. */
    static char sslResponse(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(10_000);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.writeInt(8);
            out.writeInt(80877103);
            out.flush();
            return (char) new DataInputStream(s.getInputStream()).readUnsignedByte();
        }
    }

    private static void assertRefused(int port) {
        assertThatThrownBy(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            }
        }).isInstanceOf(ConnectException.class);
    }
}
