package org.pgsession.it.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.pgsession.ConnectionFailureReason;
import org.pgsession.ServerConnectInfo;
import org.pgsession.Session;
import org.pgsession.SslMode;
import org.pgsession.it.NotifyRecorder;
import org.pgsession.it.Sessions;
import org.pgsession.testkit.PgCluster;
import org.pgsession.testkit.TestClusters;

/** SSL modes against the TLS cluster and the plain cluster. */
class SslModeTest extends CoreTestBase {
  private static final String SSL_IN_USE =
      "SELECT coalesce((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false) AS ssl";

  private static ServerConnectInfo tls(SslMode mode) {
    return on(TestClusters.tls(), TestClusters.tls().host(), mode);
  }

  private static ServerConnectInfo plain(SslMode mode) {
    return on(TestClusters.plain(), TestClusters.plain().host(), mode);
  }

  private static ServerConnectInfo on(PgCluster c, String host, SslMode mode) {
    return ServerConnectInfo.of(host, c.port()).withSslMode(mode).withConnectionTimeout(Duration.ofSeconds(30));
  }

  private static javax.net.ssl.SSLContext trusted() {
    return TestClusters.tls().clientSslContext();
  }

  private boolean sslInUse(ServerConnectInfo server) {
    Session s = open(server, Sessions.superuser()).session();
    return (Boolean) scalar(s, SSL_IN_USE);
  }

  private void assertFails(ServerConnectInfo server, Class<? extends ConnectionFailureReason> reason) {
    NotifyRecorder n = connectExpectingFailure(server, Sessions.superuser());
    assertThat(n.events).containsExactly("connected", "failed:" + reason.getSimpleName(), "shutdown");
    assertThat(n.failures).singleElement().isInstanceOf(reason);
  }

  @Test
  void disabledOnTlsClusterIsPlaintext() {
    assertThat(sslInUse(tls(SslMode.disabled()))).isFalse();
  }

  @Test
  void disabledOnPlainClusterIsPlaintext() {
    assertThat(sslInUse(plain(SslMode.disabled()))).isFalse();
  }

  @Test
  void preferredOnTlsClusterUsesTls() {
    assertThat(sslInUse(tls(SslMode.preferred(trusted())))).isTrue();
  }

  @Test
  void preferredOnPlainClusterFallsBackToPlaintext() {
    assertThat(sslInUse(plain(SslMode.preferred(trusted())))).isFalse();
  }

  @Test
  void requiredOnTlsClusterUsesTls() {
    assertThat(sslInUse(tls(SslMode.required(trusted())))).isTrue();
  }

  @Test
  void requiredOnPlainClusterIsRefused() {
    assertFails(plain(SslMode.required(trusted())), ConnectionFailureReason.SSLServerRefused.class);
  }

  @Test
  void verifyFullWithCertificateNameUsesTls() {
    assertThat(sslInUse(on(TestClusters.tls(), "localhost", SslMode.verifyFull(trusted())))).isTrue();
  }

  @Test
  void verifyFullWithAddressNotInCertificateFails() {
    assertThat(TestClusters.tls().host()).isEqualTo("127.0.0.1");
    assertFails(on(TestClusters.tls(), "127.0.0.1", SslMode.verifyFull(trusted())),
        ConnectionFailureReason.TLSAuthFailed.class);
  }

  @Test
  void requiredWithoutHostnameCheckAcceptsAddressNotInCertificate() {
    // The counterpart of the test above: only verifyFull checks the name.
    assertThat(sslInUse(on(TestClusters.tls(), "127.0.0.1", SslMode.required(trusted())))).isTrue();
  }

  @Test
  void requiredWithUntrustedCaFails() {
    assertFails(tls(SslMode.required(TestClusters.untrustedSslContext())),
        ConnectionFailureReason.TLSAuthFailed.class);
  }

  @Test
  void preferredWithUntrustedCaFailsInsteadOfFallingBack() {
    assertFails(tls(SslMode.preferred(TestClusters.untrustedSslContext())),
        ConnectionFailureReason.TLSAuthFailed.class);
  }
}
