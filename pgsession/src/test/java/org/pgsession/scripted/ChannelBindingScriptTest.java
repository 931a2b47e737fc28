package org.pgsession.scripted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pgsession.chaos.BackendMessages.authenticationOk;
import static org.pgsession.chaos.BackendMessages.authenticationSasl;
import static org.pgsession.chaos.BackendMessages.readyForQuery;
import static org.pgsession.chaos.BackendMessages.saslContinue;
import static org.pgsession.chaos.BackendMessages.saslFinal;
import static org.pgsession.scripted.Scripts.PASSWORD;
import static org.pgsession.scripted.Scripts.WAIT;
import static org.pgsession.scripted.Scripts.assertConnectionFailed;
import static org.pgsession.scripted.Scripts.login;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgsession.ChannelBinding;
import org.pgsession.ConnectionFailureReason;
import org.pgsession.ServerConnectInfo;
import org.pgsession.Session;
import org.pgsession.SslMode;
import org.pgsession.chaos.ScramServer;
import org.pgsession.invariants.SessionInvariants;
import org.pgsession.it.Await;
import org.pgsession.testkit.TestServerTls;

/**
 * SCRAM channel binding against a fake TLS server: the -PLUS exchange carries the right
 * tls-server-end-point data, and the downgrades a man in the middle would try fail: a mechanism
 * list stripped of -PLUS under {@code require} (nothing secret sent), a server-final signed over
 * other binding data, a password request or a bare AuthenticationOk under {@code require}.
 */
@ExtendWith(SessionInvariants.class)
class ChannelBindingScriptTest {
  private static TestServerTls tls;

  @BeforeAll
  static void material() {
    tls = TestServerTls.generate();
  }

  private static ServerConnectInfo to(SocketScript server, ChannelBinding binding) {
    return ServerConnectInfo.of("127.0.0.1", server.port()).withSslMode(SslMode.required(tls.client()))
        .withChannelBinding(binding).withConnectionTimeout(WAIT);
  }

  private static byte[] expectedBinding() throws Exception {
    byte[] hash = MessageDigest.getInstance("SHA-256").digest(tls.certificate().getEncoded());
    byte[] header = "p=tls-server-end-point,,".getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[header.length + hash.length];
    System.arraycopy(header, 0, all, 0, header.length);
    System.arraycopy(hash, 0, all, header.length, hash.length);
    return all;
  }

  /** Plays SCRAM with the client; {@code serverView} replaces the client's c= when signing (a relay). */
  private static SocketScript.Handler scram(String mechanisms, AtomicReference<String> clientFinal,
      AtomicReference<String> clientFirst, String serverView) {
    return c -> {
      c.acceptTls(tls.server());
      c.readStartup();
      c.write(authenticationSasl(mechanisms.split(",")));
      org.pgsession.chaos.FrontendMessage first = c.readMessage();
      clientFirst.set(first.saslMechanism() + " " + first.saslInitialData());
      ScramServer scram = new ScramServer(PASSWORD, new byte[] {1, 2, 3, 4}, 4096, "srvnonce");
      c.write(saslContinue(scram.serverFirst(first.saslInitialData())));
      String fin = c.readMessage().text();
      fin = fin.substring(0, fin.indexOf('\0') < 0 ? fin.length() : fin.indexOf('\0'));
      clientFinal.set(fin);
      String withoutProof = fin.substring(0, fin.lastIndexOf(",p="));
      String signed = serverView == null ? scram.serverFinal(fin).orElse("e=invalid-proof")
          : scram.serverFinalAsSeen(serverView + withoutProof.substring(withoutProof.indexOf(",r=")));
      c.write(saslFinal(signed), authenticationOk(), readyForQuery('I'));
      c.awaitEnd();
    };
  }

  @Test
  void requireBindsWithTheServerCertificateHash() throws Exception {
    AtomicReference<String> fin = new AtomicReference<>();
    AtomicReference<String> first = new AtomicReference<>();
    try (SocketScript server = new SocketScript(scram("SCRAM-SHA-256-PLUS,SCRAM-SHA-256", fin, first, null))) {
      CallbackLog log = new CallbackLog();
      Session session = Session.connect(to(server, ChannelBinding.REQUIRE), login(), log);
      Await.until("ready; log " + log.log, WAIT, () -> log.ready() || log.isShutdown());
      assertThat(log.log).containsExactly("connected", "authenticated", "status:IDLE");
      assertThat(first.get()).startsWith("SCRAM-SHA-256-PLUS p=tls-server-end-point,,n=");
      assertThat(fin.get()).startsWith("c=" + Base64.getEncoder().encodeToString(expectedBinding()) + ",r=");
      session.close();
      log.awaitShutdown();
    }
  }

  @Test
  void preferOverTlsWithoutPlusSaysTheClientCouldBind() {
    AtomicReference<String> fin = new AtomicReference<>();
    AtomicReference<String> first = new AtomicReference<>();
    try (SocketScript server = new SocketScript(scram("SCRAM-SHA-256", fin, first, null))) {
      CallbackLog log = new CallbackLog();
      Session session = Session.connect(to(server, ChannelBinding.PREFER), login(), log);
      Await.until("ready; log " + log.log, WAIT, () -> log.ready() || log.isShutdown());
      assertThat(log.log).containsExactly("connected", "authenticated", "status:IDLE");
      // 'y': a real server that does offer -PLUS rejects this login, so stripping it is detected.
      assertThat(first.get()).startsWith("SCRAM-SHA-256 y,,n=");
      assertThat(fin.get()).startsWith("c=eSws,r="); // base64("y,,")
      session.close();
      log.awaitShutdown();
    }
  }

  @Test
  void requireRefusesAMechanismListStrippedOfPlus() {
    try (SocketScript server = new SocketScript(c -> {
      c.acceptTls(tls.server());
      c.readStartup();
      c.write(authenticationSasl("SCRAM-SHA-256"));
      c.awaitEnd();
    })) {
      CallbackLog log = new CallbackLog();
      Session session = Session.connect(to(server, ChannelBinding.REQUIRE), login(), log);
      assertConnectionFailed(session, log, ConnectionFailureReason.ChannelBindingRequired.class);
      assertThat(server.received).as("SSLRequest and StartupMessage only, no SASLInitialResponse").hasSize(2);
    }
  }

  @Test
  void aServerFinalSignedOverOtherBindingDataFails() throws Exception {
    // A relay with its own certificate: the real server saw the relay's certificate hash.
    byte[] other = expectedBinding();
    other[other.length - 1] ^= 1;
    String relayView = "c=" + Base64.getEncoder().encodeToString(other);
    AtomicReference<String> fin = new AtomicReference<>();
    AtomicReference<String> first = new AtomicReference<>();
    try (SocketScript server = new SocketScript(scram("SCRAM-SHA-256-PLUS", fin, first, relayView))) {
      CallbackLog log = new CallbackLog();
      Session session = Session.connect(to(server, ChannelBinding.PREFER), login(), log);
      assertConnectionFailed(session, log, ConnectionFailureReason.ServerVerificationFailed.class);
      assertThat(log.log).doesNotContain("authenticated");
    }
  }

  @Test
  void requireRefusesAPasswordRequest() {
    try (SocketScript server = new SocketScript(c -> {
      c.acceptTls(tls.server());
      c.readStartup();
      c.write(org.pgsession.chaos.BackendMessages.authenticationCleartext());
      c.awaitEnd();
    })) {
      CallbackLog log = new CallbackLog();
      Session session = Session.connect(to(server, ChannelBinding.REQUIRE)
          .withAuthRequirement(org.pgsession.AuthRequirement.ALLOW_ANY), login(), log);
      assertConnectionFailed(session, log, ConnectionFailureReason.ChannelBindingRequired.class);
      assertThat(server.received).as("no password message").hasSize(2);
    }
  }

  @Test
  void requireRefusesAuthenticationOkWithoutSasl() {
    try (SocketScript server = new SocketScript(c -> {
      c.acceptTls(tls.server());
      c.readStartup();
      c.write(authenticationOk(), readyForQuery('I'));
      c.awaitEnd();
    })) {
      CallbackLog log = new CallbackLog();
      Session session = Session.connect(to(server, ChannelBinding.REQUIRE)
          .withAuthRequirement(org.pgsession.AuthRequirement.ALLOW_ANY), login(), log);
      assertConnectionFailed(session, log, ConnectionFailureReason.ChannelBindingRequired.class);
    }
  }
}
