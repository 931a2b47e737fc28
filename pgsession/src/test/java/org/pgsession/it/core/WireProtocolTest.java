package org.pgsession.it.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.pgsession.ChannelBinding;
import org.pgsession.ConnectConfig;
import org.pgsession.ConnectionFailureReason;
import org.pgsession.ServerConnectInfo;
import org.pgsession.Session;
import org.pgsession.SessionOptions;
import org.pgsession.SimpleQuery;
import org.pgsession.SslMode;
import org.pgsession.SslNegotiation;
import org.pgsession.it.NotifyRecorder;
import org.pgsession.it.ResultRecorder;
import org.pgsession.it.Sessions;
import org.pgsession.testkit.TestClusters;

/**
 * Protocol 3.2 negotiation, SCRAM channel binding and direct TLS against the real server, with
 * the expectations branched on its major version (3.2 and direct TLS need 18 and 17).
 */
class WireProtocolTest extends CoreTestBase {

  private static int major(Session s) {
    String version = s.parameter("server_version");
    return Integer.parseInt(version.split("[.\\s]")[0]);
  }

  private static ServerConnectInfo tls(SslMode mode) {
    return ServerConnectInfo.of(TestClusters.tls().host(), TestClusters.tls().port()).withSslMode(mode)
        .withConnectionTimeout(Duration.ofSeconds(30));
  }

  private static SslMode required() {
    return SslMode.required(TestClusters.tls().clientSslContext());
  }

  @Test
  void protocol32OnEighteenAndTheDowngradeTo30Before() {
    Session s = open().session();
    assertThat(s.protocolVersion()).isEqualTo(major(s) >= 18 ? "3.2" : "3.0");
    assertThat(scalar(s, "SELECT 41 + 1")).isEqualTo(42);
  }

  @Test
  void unknownProtocolOptionIsNegotiatedAwayAndTheSessionOpens() {
    // GREASE: the server answers NegotiateProtocolVersion naming the option (any version since 3.0
    // servers learned it); a driver that took that for garbage would fail here.
    Session s = open(SessionOptions.defaults().withStartupParameter("_pq_.pgsession_grease", "1")).session();
    assertThat(s.protocolVersion()).isEqualTo(major(s) >= 18 ? "3.2" : "3.0");
    assertThat(scalar(s, "SELECT 'still usable'")).isEqualTo("still usable");
  }

  @Test
  void cancelWithTheSessionsKeyOverTls() {
    // On 18 the key is 32 bytes (protocol 3.2): the CancelRequest must carry it whole.
    Session s = open(tls(required()), Sessions.superuser()).session();
    ResultRecorder sleep = recorder("sleep");
    s.execute(new SimpleQuery("SELECT pg_sleep(60)"), sleep);
    Session admin = open(tls(required()), Sessions.superuser()).session();
    org.pgsession.it.Await.until("backend sleeping", () -> "1".equals(String.valueOf(scalar(admin,
        "SELECT count(*) FROM pg_stat_activity WHERE pid = " + s.backendPid() + " AND wait_event = 'PgSleep'"))));
    s.cancel();
    assertThat(((org.pgsession.ErrorResponseMessage) sleep.awaitFailure()).code()).isEqualTo("57014");
  }

  @Test
  void channelBindingRequiredLogsInWithScramPlusOverTls() {
    Session s = open(tls(required()).withChannelBinding(ChannelBinding.REQUIRE), Sessions.superuser()).session();
    assertThat(scalar(s, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")).isEqualTo(true);
  }

  @Test
  void channelBindingDisabledAndPreferredLogInOverTls() {
    open(tls(required()).withChannelBinding(ChannelBinding.DISABLE), Sessions.superuser());
    open(tls(required()), Sessions.superuser());
  }

  @Test
  void channelBindingRequiredIsRefusedWithoutTlsBeforeConnecting() {
    NotifyRecorder n = connectExpectingFailure(Sessions.plain().withChannelBinding(ChannelBinding.REQUIRE),
        Sessions.superuser());
    assertThat(n.events).doesNotContain("connected");
    assertThat(n.failures).singleElement().isInstanceOf(ConnectionFailureReason.ChannelBindingRequired.class);
  }

  @Test
  void channelBindingRequiredOnAPlaintextServerIsRefused() {
    // sslmode prefer, the plain cluster answers 'N': no TLS, so no binding: refused at SASL.
    ServerConnectInfo prefer = Sessions.plain().withSslMode(SslMode.preferred(TestClusters.tls().clientSslContext()))
        .withChannelBinding(ChannelBinding.REQUIRE);
    NotifyRecorder n = connectExpectingFailure(prefer, Sessions.superuser());
    assertThat(n.failures).singleElement().isInstanceOf(ConnectionFailureReason.ChannelBindingRequired.class);
  }

  @Test
  void channelBindingRequiredWithTrustIsRefused() {
    // AuthenticationOk without any SASL exchange cannot be bound to the connection.
    NotifyRecorder n = connectExpectingFailure(Sessions.allowAny(tls(required()).withChannelBinding(
        ChannelBinding.REQUIRE)), new org.pgsession.DatabaseConnectInfo(org.pgsession.testkit.TestRoles.TRUST_USER,
        "", org.pgsession.testkit.TestRoles.DATABASE));
    assertThat(n.failures).singleElement().isInstanceOf(ConnectionFailureReason.ChannelBindingRequired.class);
  }

  @Test
  void directTlsOnSeventeenAndNewerAndAClearErrorBefore() {
    int major = major(open().session());
    ServerConnectInfo direct = tls(required()).withSslNegotiation(SslNegotiation.DIRECT);
    if (major >= 17) {
      Session s = open(direct, Sessions.superuser()).session();
      assertThat(scalar(s, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")).isEqualTo(true);
    } else {
      NotifyRecorder n = connectExpectingFailure(direct, Sessions.superuser());
      assertThat(n.failures).singleElement().isInstanceOf(ConnectionFailureReason.DirectTlsUnsupported.class);
      assertThat(org.pgsession.PgConnectException.describe(n.failures.get(0))).contains("PostgreSQL 17");
    }
  }

  @Test
  void directTlsFromAConnectionString() {
    int major = major(open().session());
    var cluster = TestClusters.tls();
    ConnectConfig config = ConnectConfig.parse("host=" + cluster.host() + " port=" + cluster.port()
        + " sslmode=require sslnegotiation=direct channel_binding=require user=postgres password=postgres"
        + " sslrootcert=" + cluster.caCertificatePem());
    ServerConnectInfo server = config.servers().get(0);
    assertThat(server.sslNegotiation()).isEqualTo(SslNegotiation.DIRECT);
    assertThat(server.channelBinding()).isEqualTo(ChannelBinding.REQUIRE);
    if (major >= 17) {
      open(server.withConnectionTimeout(Duration.ofSeconds(30)), Sessions.superuser());
    }
  }
}
