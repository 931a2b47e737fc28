package org.pgsession.scripted;

import org.pgsession.chaos.BackendMessages;

import org.pgsession.invariants.SessionInvariants;
import org.junit.jupiter.api.extension.ExtendWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.pgsession.chaos.BackendMessages.authenticationSasl;
import static org.pgsession.chaos.BackendMessages.errorResponse;
import static org.pgsession.chaos.BackendMessages.loginOk;
import static org.pgsession.scripted.Scripts.WAIT;
import static org.pgsession.scripted.Scripts.assertConnectionFailed;
import static org.pgsession.scripted.Scripts.login;
import static org.pgsession.scripted.Scripts.to;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pgsession.ConnectionFailureReason;
import org.pgsession.ProtocolViolation;
import org.pgsession.ServerConnectInfo;
import org.pgsession.Session;
import org.pgsession.SslMode;
import org.pgsession.it.Await;

/**
 * Connection establishment against scripted servers: junk bytes, SSL negotiation answers
 * (including CVE-2021-23222), the server hanging up at every startup step, silent servers
 * and the connection timeout, DNS and TCP failures.
 */
@ExtendWith(SessionInvariants.class) // no driver channel or timer may outlive a test
class StartupTransportTest {

  private static SslMode required() throws Exception {
    return SslMode.required(SSLContext.getDefault());
  }

  private static SslMode preferred() throws Exception {
    return SslMode.preferred(SSLContext.getDefault());
  }

  @Test
  void junkDuringStartupIsAProtocolViolation() {
    try (ScriptedServer server = new ScriptedServer()
        .expectStartup()
        .send("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII))
        .silent()
        .start()) {
      CallbackLog log = new CallbackLog();
      Session session = Session.connect(to(server), login(), log);
      assertConnectionFailed(session, log, ProtocolViolation.class);
      assertThat(log.log).startsWith("connected");
      server.awaitClientClosed(WAIT);
    }
  }

  @ParameterizedTest(name = "sslmode {0}")
  @ValueSource(strings = {"required", "preferred"})
  void bytesBehindTheSslAcceptAreAProtocolViolation(String mode) throws Exception {
    // CVE-2021-23222: bytes after 'S' were not protected by TLS; the client must not read them.
    try (ScriptedServer server = new ScriptedServer()
        .expectStartup()
        .send(new byte[] {'S'}, errorResponse("FATAL", "28P01", "injected before TLS"))
        .silent()
        .start()) {
      CallbackLog log = new CallbackLog();
      SslMode ssl = mode.equals("required") ? required() : preferred();
      Session session = Session.connect(to(server).withSslMode(ssl), login(), log);
      ProtocolViolation pv = assertConnectionFailed(session, log, ProtocolViolation.class);
      assertThat(pv.message()).isNotBlank();
      server.awaitClientClosed(WAIT);
      assertThat(server.received()).hasSize(1);
      assertThat(server.received().get(0).isSslRequest()).isTrue();
      assertThat(server.trailingBytes()).as("no StartupMessage, no TLS hello").isEmpty();
    }
  }

  @ParameterizedTest(name = "sslmode {0}")
  @ValueSource(strings = {"required", "preferred"})
  void unknownAnswerToSslRequestIsAProtocolViolation(String mode) throws Exception {
    try (ScriptedServer server = new ScriptedServer().expectStartup().send(new byte[] {'X'}).start()) {
      CallbackLog log = new CallbackLog();
      SslMode ssl = mode.equals("required") ? required() : preferred();
      Session session = Session.connect(to(server).withSslMode(ssl), login(), log);
      assertConnectionFailed(session, log, ProtocolViolation.class);
      server.awaitClientClosed(WAIT);
      assertThat(server.trailingBytes()).isEmpty();
    }
  }

  @Test
  void sslRefusedWhenRequired() throws Exception {
    try (ScriptedServer server = new ScriptedServer().expectStartup().send(new byte[] {'N'}).start()) {
      CallbackLog log = new CallbackLog();
      Session session = Session.connect(to(server).withSslMode(required()), login(), log);
      assertConnectionFailed(session, log, ConnectionFailureReason.SSLServerRefused.class);
      server.awaitClientClosed(WAIT);
      assertThat(server.trailingBytes()).as("no plaintext StartupMessage").isEmpty();
    }
  }

  @Test
  void sslRefusedWhenPreferredFallsBackToPlaintext() throws Exception {
    try (ScriptedServer server = new ScriptedServer()
        .expectStartup()
        .send(new byte[] {'N'})
        .expectStartup()
        .send(loginOk())
        .start()) {
      CallbackLog log = new CallbackLog();
      Session session = Session.connect(Scripts.trusting(server).withSslMode(preferred()), login(), log);
      Await.until("ready", WAIT, () -> log.ready() || log.isShutdown());
      assertThat(log.log).containsExactly("connected", "authenticated", "status:IDLE");
      assertThat(server.received().get(0).isSslRequest()).isTrue();
      assertThat(server.received().get(1).isStartupMessage()).isTrue();
      assertThat(server.received().get(1).startupParameters())
          .containsEntry("user", Scripts.USER).containsEntry("database", "appdb");
      session.close();
      Scripts.assertNothingAfterShutdown(session, log);
      assertThat(log.failures).isEmpty();
      server.awaitClientClosed(WAIT);
      assertThat(server.trailingBytes()).as("Terminate").containsExactly('X', 0, 0, 0, 4);
    }
  }

  @Test
  void serverClosesRightAfterAccept() {
    try (ScriptedServer server = new ScriptedServer().closeConnection().start()) {
      CallbackLog log = new CallbackLog();
      Session session = Session.connect(to(server), login(), log);
      assertConnectionFailed(session, log, ConnectionFailureReason.ConnectionClosedByServer.class);
    }
  }

  @Test
  void serverClosesAfterTheStartupMessage() {
    try (ScriptedServer server = new ScriptedServer().expectStartup().closeConnection().start()) {
      CallbackLog log = new CallbackLog();
      Session session = Session.connect(to(server), login(), log);
      assertConnectionFailed(session, log, ConnectionFailureReason.ConnectionClosedByServer.class);
      assertThat(server.received().get(0).isStartupMessage()).isTrue();
    }
  }

  @Test
  void serverClosesAfterTheSaslRequest() {
    try (ScriptedServer server = new ScriptedServer()
        .expectStartup()
        .send(authenticationSasl("SCRAM-SHA-256"))
        .closeConnection()
        .start()) {
      CallbackLog log = new CallbackLog();
      Session session = Session.connect(to(server), login(), log);
      assertConnectionFailed(session, log, ConnectionFailureReason.ConnectionClosedByServer.class);
    }
  }

  @Test
  void serverClosesAfterSaslContinue() {
    AtomicReference<String> nonce = new AtomicReference<>();
    try (ScriptedServer server = new ScriptedServer()
        .expectStartup()
        .send(authenticationSasl("SCRAM-SHA-256"))
        .step(Scripts.scramServerFirst(nonce, new AtomicReference<>(), "4096"))
        .closeConnection()
        .start()) {
      CallbackLog log = new CallbackLog();
      Session session = Session.connect(to(server), login(), log);
      assertConnectionFailed(session, log, ConnectionFailureReason.ConnectionClosedByServer.class);
      server.awaitScript(WAIT);
      assertThat(nonce.get()).isNotBlank();
    }
  }

  @Test
  void silentServerAfterStartupTimesOut() {
    try (ScriptedServer server = new ScriptedServer().expectStartup().silent().start()) {
      CallbackLog log = new CallbackLog();
      long start = System.nanoTime();
      Session session = Session.connect(to(server).withConnectionTimeout(Duration.ofMillis(500)), login(), log);
      assertConnectionFailed(session, log, ConnectionFailureReason.ConnectionFailedTimeout.class);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
      assertThat(log.log).startsWith("connected");
      server.awaitClientClosed(WAIT);
    }
  }

  @ParameterizedTest(name = "sslmode {0}")
  @ValueSource(strings = {"required", "preferred"})
  void silentServerAfterSslRequestTimesOut(String mode) throws Exception {
    try (ScriptedServer server = new ScriptedServer().expectStartup().silent().start()) {
      CallbackLog log = new CallbackLog();
      SslMode ssl = mode.equals("required") ? required() : preferred();
      long start = System.nanoTime();
      ServerConnectInfo info = to(server).withSslMode(ssl).withConnectionTimeout(Duration.ofMillis(500));
      Session session = Session.connect(info, login(), log);
      assertConnectionFailed(session, log, ConnectionFailureReason.ConnectionFailedTimeout.class);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
      server.awaitClientClosed(WAIT);
      assertThat(server.received().get(0).isSslRequest()).isTrue();
      assertThat(server.trailingBytes()).isEmpty();
    }
  }

  @Test
  void unknownHostIsADnsFailure() {
    CallbackLog log = new CallbackLog();
    Session session = Session.connect(ServerConnectInfo.of("no-such-host.invalid", 5432), login(), log);
    assertConnectionFailed(session, log, ConnectionFailureReason.ConnectionFailedDNS.class);
    assertThat(log.log).doesNotContain("connected");
  }

  @Test
  void nothingListeningIsATcpFailure() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    CallbackLog log = new CallbackLog();
    Session session = Session.connect(ServerConnectInfo.of("127.0.0.1", port), login(), log);
    assertConnectionFailed(session, log, ConnectionFailureReason.ConnectionFailedTCP.class);
    assertThat(log.log).doesNotContain("connected");
  }
}
