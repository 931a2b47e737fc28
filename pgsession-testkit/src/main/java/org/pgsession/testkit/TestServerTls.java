package org.pgsession.testkit;

import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * TLS material for a fake server in tests (scripted servers that play TLS): a fresh CA, a
 * server certificate it signed for {@code DNS:localhost}, the server's context and a client
 * context that trusts the CA.
 *
 * @param server context for an {@code SSLServerSocket} / server-mode engine
 * @param client context trusting only the generated CA
 * @param certificate the server's certificate (for checking channel-binding data)
 */
public record TestServerTls(SSLContext server, SSLContext client, X509Certificate certificate) {

    /**
     * Generates new material (an RSA key pair and two certificates: a few hundred milliseconds).
     *
     * @return it
     */
    public static TestServerTls generate() {
        TestCertificates.ServerMaterial m = TestCertificates.newServerMaterial();
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            char[] pass = "test".toCharArray();
            ks.setKeyEntry("server", m.server.privateKey, pass, new Certificate[] {m.server.certificate, m.ca.certificate});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pass);
            SSLContext server = SSLContext.getInstance("TLS");
            server.init(kmf.getKeyManagers(), null, null);
            return new TestServerTls(server, TestCertificates.trusting(m.ca.certificate), m.server.certificate);
        } catch (java.security.GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build the fake server's TLS context", e);
        }
    }
}
