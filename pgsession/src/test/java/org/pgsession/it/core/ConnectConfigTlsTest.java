package org.pgsession.it.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgsession.ConnectConfig;
import org.pgsession.ConnectionFailureReason;
import org.pgsession.DatabaseConnectInfo;
import org.pgsession.ServerConnectInfo;
import org.pgsession.Session;
import org.pgsession.SslMode;
import org.pgsession.internal.config.ConfigResolver;
import org.pgsession.internal.config.ConfigResolver.Resolved;
import org.pgsession.internal.config.ConfigSources;
import org.pgsession.it.NotifyRecorder;
import org.pgsession.testkit.PgCluster;
import org.pgsession.testkit.TestClusters;
import org.pgsession.testkit.TestPemFiles;
import org.pgsession.testkit.TestRoles;

/**
 * Connection strings against real servers: every sslmode on the plain and the TLS cluster,
 * certificate verification with the right and a wrong CA, host-name checks, client-certificate
 * login, the password file, and startup parameters. The strings are resolved against an empty
 * environment and a temporary home, so the machine's own ~/.pgpass or ~/.postgresql cannot interfere.
 */
class ConnectConfigTlsTest extends CoreTestBase {
  private static final String SSL_IN_USE =
      "SELECT coalesce((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false) AS ssl";
  @TempDir
  static Path pki;
  private static TestPemFiles wrong;
  @TempDir
  Path home;

  @BeforeAll
  static void generateWrongCa() {
    wrong = TestPemFiles.write(pki, TestRoles.CERT_USER);
  }

  private Resolved resolve(String s) {
    String timeout = s.startsWith("postgresql://") ? "&connect_timeout=30" : " connect_timeout=30";
    return ConfigResolver.resolve(s + timeout, new ConfigSources(Map.of(), home, "nobody"));
  }

  private static String superuserOn(PgCluster c, String host) {
    return "host=" + host + " port=" + c.port() + " user=" + TestRoles.SCRAM_USER + " password="
        + TestRoles.SCRAM_PASSWORD + " dbname=" + TestRoles.DATABASE;
  }

  private static String tls(String extra) {
    return superuserOn(TestClusters.tls(), "127.0.0.1") + " " + extra;
  }

  private static String plain(String extra) {
    return superuserOn(TestClusters.plain(), "127.0.0.1") + " " + extra;
  }

  private static String rightCa() {
    return " sslrootcert=" + TestClusters.tls().caCertificatePem();
  }

  private static String wrongCa() {
    return " sslrootcert=" + wrong.caCertificate();
  }

  private boolean sslInUse(String connString) {
    Resolved r = resolve(connString);
    Session s = open(r.servers().get(0), r.database()).session();
    return (Boolean) scalar(s, SSL_IN_USE);
  }

  private ConnectionFailureReason fails(String connString) {
    Resolved r = resolve(connString);
    NotifyRecorder n = connectExpectingFailure(r.servers().get(0), r.database());
    assertThat(n.failures).as("%s", n.events).hasSize(1);
    return n.failures.get(0);
  }

  @Test
  void disableIsPlaintextOnBothClusters() {
    assertThat(sslInUse(tls("sslmode=disable"))).isFalse();
    assertThat(sslInUse(plain("sslmode=disable"))).isFalse();
  }

  @Test
  void preferUsesTlsWhenOfferedWithoutVerifyingAndFallsBackOtherwise() {
    // No root certificate: like libpq, the server's certificate is not checked.
    assertThat(sslInUse(tls("sslmode=prefer"))).isTrue();
    assertThat(sslInUse(tls(""))).isTrue(); // prefer is the default
    assertThat(sslInUse(plain("sslmode=prefer"))).isFalse();
  }

  @Test
  void allowTriesPlaintextFirstAndTlsOnlyWhenTheServerRefusesPlaintext() throws Exception {
    // Both clusters accept plaintext ("host" rules): libpq's allow stays in plaintext.
    assertThat(sslInUseAllowing(resolve(tls("sslmode=allow")))).isFalse();
    assertThat(sslInUseAllowing(resolve(plain("sslmode=allow")))).isFalse();
    // The certificate role has only a hostssl rule: the plaintext attempt is refused (28000) and
    // the same server is tried again with TLS, client certificate included.
    PgCluster c = TestClusters.tls();
    Resolved r = resolve(certUser("&sslcert=" + c.clientCertificatePem() + "&sslkey=" + c.clientKeyPem())
        .replace("sslmode=verify-full", "sslmode=allow"));
    assertThat(r.servers().get(0).sslMode()).isInstanceOf(org.pgsession.SslMode.Disabled.class);
    assertThat(r.sslFallback()).isInstanceOf(org.pgsession.SslMode.Required.class);
    assertThat(sslInUseAllowing(r)).isTrue();
  }

  private static boolean sslInUseAllowing(Resolved r) throws Exception {
    Session s = org.pgsession.internal.future.Opener.open(r.servers(), r.database(),
        org.pgsession.types.CodecRegistry.defaults(), r.options(), r.sslFallback())
        .get(60, java.util.concurrent.TimeUnit.SECONDS);
    try {
      return (Boolean) s.query(SSL_IN_USE).get(60, java.util.concurrent.TimeUnit.SECONDS).get(0).get(0);
    } finally {
      s.closeAsync().get(60, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  @Test
  void preferWithAWrongRootCertificateFails() {
    assertThat(fails(tls("sslmode=prefer" + wrongCa()))).isInstanceOf(ConnectionFailureReason.TLSAuthFailed.class);
  }

  @Test
  void requireWithoutRootCertificateEncryptsWithoutVerifying() {
    assertThat(sslInUse(tls("sslmode=require"))).isTrue();
    assertThat(fails(plain("sslmode=require"))).isInstanceOf(ConnectionFailureReason.SSLServerRefused.class);
  }

  @Test
  void requireWithARootCertificateVerifiesTheChainLikeVerifyCa() {
    assertThat(sslInUse(tls("sslmode=require" + rightCa()))).isTrue();
    assertThat(fails(tls("sslmode=require" + wrongCa()))).isInstanceOf(ConnectionFailureReason.TLSAuthFailed.class);
  }

  @Test
  void theDefaultRootCertificateInHomeIsHonoured() throws IOException {
    Files.createDirectories(home.resolve(".postgresql"));
    Files.copy(wrong.caCertificate(), home.resolve(".postgresql/root.crt"));
    assertThat(fails(tls("sslmode=require"))).isInstanceOf(ConnectionFailureReason.TLSAuthFailed.class);
    Files.copy(TestClusters.tls().caCertificatePem(), home.resolve(".postgresql/root.crt"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThat(sslInUse(tls("sslmode=verify-ca"))).isTrue();
  }

  @Test
  void verifyCaChecksTheChainButNotTheHostName() {
    // 127.0.0.1 is not in the certificate (DNS:localhost only): verify-ca does not care.
    assertThat(sslInUse(tls("sslmode=verify-ca" + rightCa()))).isTrue();
    assertThat(fails(tls("sslmode=verify-ca" + wrongCa()))).isInstanceOf(ConnectionFailureReason.TLSAuthFailed.class);
    assertThat(fails(plain("sslmode=verify-ca" + rightCa())))
        .isInstanceOf(ConnectionFailureReason.SSLServerRefused.class);
  }

  @Test
  void verifyFullChecksTheHostNameToo() {
    String localhost = superuserOn(TestClusters.tls(), "localhost") + " sslmode=verify-full";
    assertThat(sslInUse(localhost + rightCa())).isTrue();
    assertThat(fails(tls("sslmode=verify-full" + rightCa())))
        .isInstanceOf(ConnectionFailureReason.TLSAuthFailed.class);
    assertThat(fails(localhost + wrongCa())).isInstanceOf(ConnectionFailureReason.TLSAuthFailed.class);
    assertThat(fails(superuserOn(TestClusters.plain(), "localhost") + " sslmode=verify-full" + rightCa()))
        .isInstanceOf(ConnectionFailureReason.SSLServerRefused.class);
  }

  private static String certUser(String extra) {
    PgCluster c = TestClusters.tls();
    return "postgresql://" + TestRoles.CERT_USER + ":" + TestRoles.CERT_PASSWORD + "@localhost:" + c.port() + "/"
        + TestRoles.DATABASE + "?sslmode=verify-full&sslrootcert=" + c.caCertificatePem() + extra;
  }

  @Test
  void clientCertificateLoginSucceedsWithTheCertificate() {
    PgCluster c = TestClusters.tls();
    Resolved r = resolve(certUser("&sslcert=" + c.clientCertificatePem() + "&sslkey=" + c.clientKeyPem()));
    Session s = open(r.servers().get(0), r.database()).session();
    assertThat(scalar(s, "SELECT current_user::text")).isEqualTo(TestRoles.CERT_USER);
    assertThat((String) scalar(s, "SELECT client_dn FROM pg_stat_ssl WHERE pid = pg_backend_pid()"))
        .contains("CN=" + TestRoles.CERT_USER);
  }

  @Test
  void clientCertificateLoginFailsWithoutTheCertificate() {
    ConnectionFailureReason reason = fails(certUser(""));
    assertThat(reason).isInstanceOf(ConnectionFailureReason.InvalidAuthorizationSpecification.class);
    assertThat(((ConnectionFailureReason.InvalidAuthorizationSpecification) reason).response().message())
        .contains("certificate");
  }

  @Test
  void clientCertificateFromAnotherCaIsRefused() {
    ConnectionFailureReason reason = fails(certUser("&sslcert=" + wrong.clientCertificate() + "&sslkey="
        + wrong.clientKey()));
    // The server rejects the unknown issuer during the handshake (or, at the latest, at startup).
    assertThat(reason).isInstanceOfAny(ConnectionFailureReason.TLSHandshakeFailed.class,
        ConnectionFailureReason.TLSAuthFailed.class, ConnectionFailureReason.InvalidAuthorizationSpecification.class);
  }

  @Test
  void thePasswordFileSuppliesTheMissingPassword() throws IOException {
    PgCluster c = TestClusters.plain();
    Path pgpass = home.resolve(".pgpass");
    Files.writeString(pgpass, "127.0.0.1:" + c.port() + ":*:" + TestRoles.SCRAM_USER + ":" + TestRoles.SCRAM_PASSWORD
        + "\n");
    Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-------"));
    Resolved r = resolve("host=127.0.0.1 port=" + c.port() + " user=" + TestRoles.SCRAM_USER + " sslmode=disable");
    assertThat(r.database().password()).isEqualTo(TestRoles.SCRAM_PASSWORD);
    assertThat(r.database().database()).isEqualTo(TestRoles.SCRAM_USER); // dbname defaults to the user
    Session s = open(r.servers().get(0), r.database()).session();
    assertStillWorks(s);
  }

  @Test
  void requireAuthDecidesWhetherMd5IsAccepted() {
    PgCluster c = TestClusters.plain();
    String md5 = "host=127.0.0.1 port=" + c.port() + " user=" + TestRoles.MD5_USER + " password="
        + TestRoles.MD5_PASSWORD + " dbname=" + TestRoles.DATABASE + " sslmode=disable";
    assertThat(fails(md5)).isInstanceOf(ConnectionFailureReason.AuthenticationMethodRejected.class);
    assertThat(fails(md5 + " require_auth=scram-sha-256"))
        .isInstanceOf(ConnectionFailureReason.AuthenticationMethodRejected.class);
    Resolved r = resolve(md5 + " require_auth=!gss,!sspi");
    assertStillWorks(open(r.servers().get(0), r.database()).session());
  }

  @Test
  void startupParametersReachTheServer() {
    ConnectConfig config = ConnectConfig.parse(plain("sslmode=disable application_name=cfg-test"
        + " options='-c search_path=cfg_schema,public -c statement_timeout=12345'"));
    ServerConnectInfo server = config.servers().get(0);
    assertThat(server.sslMode()).isInstanceOf(SslMode.Disabled.class);
    NotifyRecorder notify = new NotifyRecorder();
    Session s = Session.connect(server, config.database(), notify, org.pgsession.types.CodecRegistry.defaults(),
        config.options());
    try {
      org.pgsession.it.Await.until("ready " + notify.events, () -> notify.ready() || notify.isShutdown());
      assertThat(notify.ready()).as("%s %s", notify.events, notify.failures).isTrue();
      assertThat(scalar(s, "SELECT current_setting('application_name')")).isEqualTo("cfg-test");
      assertThat(scalar(s, "SELECT current_setting('search_path')")).isEqualTo("cfg_schema,public");
      assertThat(scalar(s, "SELECT current_setting('statement_timeout')")).isEqualTo("12345ms");
    } finally {
      s.close();
      org.pgsession.it.Await.until("shutdown", notify::isShutdown);
    }
    assertThat(notify.shutdownCount()).isEqualTo(1);
  }

  @Test
  void sessionOpenWithAConnectionStringTriesTheHostsInOrder() throws Exception {
    // The public path end to end: a dead first host, then the TLS cluster with full verification
    // and a client certificate.
    PgCluster c = TestClusters.tls();
    int deadPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      deadPort = s.getLocalPort();
    }
    ConnectConfig config = ConnectConfig.parse("postgresql://" + TestRoles.CERT_USER + ":" + TestRoles.CERT_PASSWORD
        + "@127.0.0.1:" + deadPort + ",localhost:" + c.port() + "/" + TestRoles.DATABASE
        + "?sslmode=verify-full&connect_timeout=30&sslrootcert=" + c.caCertificatePem() + "&sslcert="
        + c.clientCertificatePem() + "&sslkey=" + c.clientKeyPem() + "&application_name=open-test");
    Session s = Session.open(config).get(60, java.util.concurrent.TimeUnit.SECONDS);
    try {
      org.pgsession.Row row = s.query("SELECT current_user::text, current_setting('application_name'),"
          + " (SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid())")
          .get(60, java.util.concurrent.TimeUnit.SECONDS).get(0);
      assertThat(row.get(0)).isEqualTo(TestRoles.CERT_USER);
      assertThat(row.get(1)).isEqualTo("open-test");
      assertThat(row.get(2)).isEqualTo(true);
    } finally {
      s.closeAsync().get(60, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  @Test
  void hostListsGiveOneServerPerHost() {
    PgCluster c = TestClusters.plain();
    Resolved r = resolve("host=127.0.0.1,localhost port=" + c.port() + " user=" + TestRoles.SCRAM_USER
        + " password=" + TestRoles.SCRAM_PASSWORD + " dbname=" + TestRoles.DATABASE + " sslmode=disable");
    assertThat(r.servers()).extracting(ServerConnectInfo::host).containsExactly("127.0.0.1", "localhost");
    DatabaseConnectInfo db = r.database();
    for (ServerConnectInfo server : List.copyOf(r.servers())) {
      assertStillWorks(open(server, db).session());
    }
  }
}
