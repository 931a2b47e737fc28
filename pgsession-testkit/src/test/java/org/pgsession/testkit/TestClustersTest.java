package org.pgsession.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The shared clusters through the extension: SSLRequest answers, TLS trust, roles. */
@ExtendWith(PgTestExtension.class)
class TestClustersTest {

    @Test
    void sharedClustersAreStartedOnceAndRunning() {
        PgCluster plain = TestClusters.plain();
        PgCluster tls = TestClusters.tls();
        assertThat(TestClusters.plain()).isSameAs(plain);
        assertThat(TestClusters.tls()).isSameAs(tls);
        assertThat(plain.port()).isNotEqualTo(tls.port());
        assertThat(plain.isClosed()).isFalse();
        assertThat(tls.tls()).isTrue();
        assertThat(plain.tls()).isFalse();
    }

    @Test
    void plainClusterAnswersSslRequestWithN() throws IOException {
        assertThat(PgClusterTest.sslResponse(TestClusters.plain().port())).isEqualTo('N');
    }

    @Test
    void tlsClusterAnswersSslRequestWithS() throws IOException {
        assertThat(PgClusterTest.sslResponse(TestClusters.tls().port())).isEqualTo('S');
    }

    @Test
    void tlsHandshakeWithTheClusterCaSucceedsForLocalhost() throws IOException {
        PgCluster tls = TestClusters.tls();
        try (SSLSocket s = handshake(tls, tls.clientSslContext(), "localhost")) {
            assertThat(s.getSession().getPeerPrincipal().getName()).contains("CN=localhost");
        }
        assertThat(Files.readString(tls.caCertificatePem())).startsWith("-----BEGIN CERTIFICATE-----");
    }

    @Test
    void tlsHandshakeWithAnUntrustedCaFails() {
        PgCluster tls = TestClusters.tls();
        assertThatThrownBy(() -> handshake(tls, TestClusters.untrustedSslContext(), "localhost").close())
                .isInstanceOf(SSLHandshakeException.class)
                .hasStackTraceContaining("PKIX path building failed");
    }

    @Test
    void certificateDoesNotNameTheIpAddress() {
        PgCluster tls = TestClusters.tls();
        assertThatThrownBy(() -> handshake(tls, tls.clientSslContext(), "127.0.0.1").close())
                .isInstanceOf(SSLHandshakeException.class)
                .hasStackTraceContaining("No subject alternative names matching IP address 127.0.0.1");
    }

    @Test
    void eachRoleMeetsItsAuthenticationMethod() throws IOException {
        for (PgCluster pg : List.of(TestClusters.plain(), TestClusters.tls())) {
            assertThat(authRequest(pg, TestRoles.SCRAM_USER)).isEqualTo(10); // SASL
            assertThat(authRequest(pg, TestRoles.MD5_USER)).isEqualTo(5);
            assertThat(authRequest(pg, TestRoles.PASSWORD_USER)).isEqualTo(3);
            assertThat(authRequest(pg, TestRoles.TRUST_USER)).isEqualTo(0);
            try (WireProbe p = WireProbe.connect(pg)) {
                WireProbe.Msg m = p.startup(TestRoles.REJECT_USER, TestRoles.DATABASE);
                assertThat(m.type).isEqualTo('E');
                assertThat(m.text()).contains("pg_hba.conf rejects connection");
            }
        }
    }

    @Test
    void nonSuperusersCanLogInAndCreateTables() throws IOException {
        PgCluster pg = TestClusters.plain();
        String[][] users = {
            {TestRoles.MD5_USER, TestRoles.MD5_PASSWORD},
            {TestRoles.PASSWORD_USER, TestRoles.PASSWORD_PASSWORD},
            {TestRoles.TRUST_USER, null},
        };
        for (String[] u : users) {
            try (WireProbe p = WireProbe.connect(pg)) {
                WireProbe.Msg m = p.startup(u[0], TestRoles.DATABASE);
                if (u[1] != null) {
                    m = p.password(m, u[0], u[1]);
                }
                assertThat(m.type).as(u[0] + ": " + m.text()).isEqualTo('R');
                assertThat(m.int32(0)).isZero();
                assertThat(p.awaitReady()).isNull();
                String table = "t_" + u[0] + "_" + System.nanoTime();
                assertThat(p.query("CREATE TABLE " + table + " (id int); DROP TABLE " + table)).isNull();
                assertThat(p.query("CREATE SCHEMA s_" + u[0] + "; DROP SCHEMA s_" + u[0])).isNull();
            }
        }
        try (WireProbe p = WireProbe.connect(pg)) {
            WireProbe.Msg m = p.password(p.startup(TestRoles.MD5_USER, TestRoles.DATABASE), TestRoles.MD5_USER,
                    "wrong");
            assertThat(m.type).isEqualTo('E');
            assertThat(m.text()).contains("password authentication failed");
        }
    }

    private static int authRequest(PgCluster pg, String user) throws IOException {
        try (WireProbe p = WireProbe.connect(pg)) {
            WireProbe.Msg m = p.startup(user, TestRoles.DATABASE);
            assertThat(m.type).as(user + ": " + m.text()).isEqualTo('R');
            return m.int32(0);
        }
    }

    /** SSLRequest, then a TLS handshake verifying {@code hostname} like verify-full. */
    private static SSLSocket handshake(PgCluster pg, SSLContext ctx, String hostname) throws IOException {
        Socket raw = new Socket();
        raw.connect(new InetSocketAddress(pg.host(), pg.port()), 5000);
        raw.setSoTimeout(20_000);
        DataOutputStream out = new DataOutputStream(raw.getOutputStream());
        out.writeInt(8);
        out.writeInt(80877103);
        out.flush();
        if (raw.getInputStream().read() != 'S') {
            raw.close();
            throw new IOException("server refused TLS");
        }
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(raw, hostname, pg.port(), true);
        SSLParameters params = s.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        if (!hostname.matches("[0-9.]+")) {
            params.setServerNames(List.of(new SNIHostName(hostname)));
        }
        s.setSSLParameters(params);
        try {
            s.startHandshake();
        } catch (IOException e) {
            s.close();
            throw e;
        }
        return s;
    }
}
