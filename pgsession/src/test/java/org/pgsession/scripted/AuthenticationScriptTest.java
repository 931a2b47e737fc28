package org.pgsession.scripted;

import org.pgsession.chaos.BackendMessages;

import org.pgsession.invariants.SessionInvariants;
import org.junit.jupiter.api.extension.ExtendWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.pgsession.chaos.BackendMessages.authentication;
import static org.pgsession.chaos.BackendMessages.authenticationCleartext;
import static org.pgsession.chaos.BackendMessages.authenticationMd5;
import static org.pgsession.chaos.BackendMessages.authenticationOk;
import static org.pgsession.chaos.BackendMessages.authenticationSasl;
import static org.pgsession.chaos.BackendMessages.loginOk;
import static org.pgsession.chaos.BackendMessages.saslFinal;
import static org.pgsession.scripted.Scripts.PASSWORD;
import static org.pgsession.scripted.Scripts.USER;
import static org.pgsession.scripted.Scripts.WAIT;
import static org.pgsession.scripted.Scripts.assertConnectionFailed;
import static org.pgsession.scripted.Scripts.login;
import static org.pgsession.scripted.Scripts.to;

import com.ongres.scram.common.ScramFunctions;
import com.ongres.scram.common.ScramMechanism;
import com.ongres.scram.common.StringPreparation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pgsession.AuthRequirement;
import org.pgsession.ConnectionFailureReason.AuthenticationMethodRejected;
import org.pgsession.ConnectionFailureReason.ServerVerificationFailed;
import org.pgsession.ConnectionFailureReason.UnsupportedAuthenticationMethod;
import org.pgsession.Session;
import org.pgsession.internal.protocol.Md5Password;
import org.pgsession.it.Await;

/**
 * The authentication exchange against scripted servers: unsupported methods, the
 * REQUIRE_SCRAM / ALLOW_ANY policy, and SCRAM servers that cannot prove they know the password.
 */
@ExtendWith(SessionInvariants.class) // no driver channel or timer may outlive a test
class AuthenticationScriptTest {

  private static final byte[] SALT = {7, 8, 9, 10};

  @ParameterizedTest(name = "auth code {0}")
  @ValueSource(ints = {2, 6, 7, 9})
  void unsupportedAuthenticationCodes(int code) {
    try (ScriptedServer server = new ScriptedServer().expectStartup().send(authentication(code, new byte[0])).start()) {
      CallbackLog log = new CallbackLog();
      Session session = Session.connect(to(server).withAuthRequirement(AuthRequirement.ALLOW_ANY), login(), log);
      assertConnectionFailed(session, log, UnsupportedAuthenticationMethod.class);
      server.awaitClientClosed(WAIT);
      assertThat(server.trailingBytes()).as("nothing answered").isEmpty();
    }
  }

  @ParameterizedTest(name = "only {0}")
  @ValueSource(strings = {"SCRAM-SHA-256-PLUS", "OAUTHBEARER"})
  void unsupportedSaslMechanisms(String mechanism) {
    try (ScriptedServer server = new ScriptedServer().expectStartup().send(authenticationSasl(mechanism)).start()) {
      CallbackLog log = new CallbackLog();
      Session session = Session.connect(to(server), login(), log);
      assertConnectionFailed(session, log, UnsupportedAuthenticationMethod.class);
      server.awaitClientClosed(WAIT);
      assertThat(server.trailingBytes()).as("no SASLInitialResponse").isEmpty();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"trust", "cleartext", "md5"})
  void requireScramRejectsWeakerMethods(String method) {
    byte[] request = switch (method) {
      case "trust" -> authenticationOk();
      case "cleartext" -> authenticationCleartext();
      default -> authenticationMd5(SALT);
    };
    try (ScriptedServer server = new ScriptedServer().expectStartup().send(request).start()) {
      CallbackLog log = new CallbackLog();
      Session session = Session.connect(to(server), login(), log); // REQUIRE_SCRAM is the default
      assertConnectionFailed(session, log, AuthenticationMethodRejected.class);
      assertThat(log.log).doesNotContain("authenticated");
      server.awaitClientClosed(WAIT);
      assertThat(server.trailingBytes()).as("the password was never sent").isEmpty();
    }
  }

  @Test
  void allowAnyAnswersCleartextWithThePassword() {
    try (ScriptedServer server = new ScriptedServer()
        .expectStartup().send(authenticationCleartext())
        .expectMessage('p').send(loginOk())
        .start()) {
      CallbackLog log = new CallbackLog();
      Session session = Session.connect(to(server).withAuthRequirement(AuthRequirement.ALLOW_ANY), login(), log);
      awaitReadyThenClose(session, log);
      assertThat(server.received().get(1).password()).isEqualTo(PASSWORD);
    }
  }

  @Test
  void allowAnyAnswersMd5WithTheHash() {
    try (ScriptedServer server = new ScriptedServer()
        .expectStartup().send(authenticationMd5(SALT))
        .expectMessage('p').send(loginOk())
        .start()) {
      CallbackLog log = new CallbackLog();
      Session session = Session.connect(to(server).withAuthRequirement(AuthRequirement.ALLOW_ANY), login(), log);
      awaitReadyThenClose(session, log);
      String sent = server.received().get(1).password();
      assertThat(sent).isEqualTo(Md5Password.hash(USER, PASSWORD, SALT)).startsWith("md5").hasSize(35);
    }
  }

  @Test
  void scramWithTheRightServerSignatureLogsIn() {
    // Positive control for the SCRAM scripts below: the same script with a correct signature works.
    AtomicReference<String> nonce = new AtomicReference<>();
    AtomicReference<String> serverFirst = new AtomicReference<>();
    try (ScriptedServer server = scramServer(nonce, serverFirst, "4096")
        .step(c -> {
          String clientFinal = c.readMessage().text();
          c.write(BackendMessages.concat(saslFinal("v=" + serverSignature(nonce.get(), serverFirst.get(), clientFinal)),
              loginOk()));
        })
        .start()) {
      CallbackLog log = new CallbackLog();
      Session session = Session.connect(to(server), login(), log);
      awaitReadyThenClose(session, log);
    }
  }

  @Test
  void scramWithAWrongServerSignatureFails() {
    AtomicReference<String> nonce = new AtomicReference<>();
    try (ScriptedServer server = scramServer(nonce, new AtomicReference<>(), "4096")
        .expectMessage('p')
        .send(saslFinal("v=" + Base64.getEncoder().encodeToString(new byte[32])), loginOk())
        .start()) {
      CallbackLog log = new CallbackLog();
      Session session = Session.connect(to(server), login(), log);
      assertConnectionFailed(session, log, ServerVerificationFailed.class);
      assertThat(log.log).doesNotContain("authenticated");
      server.awaitScript(WAIT);
      assertThat(server.received().get(2).text()).startsWith("c=biws,r=" + nonce.get() + "xyz,p=");
    }
  }

  @Test
  void scramServerSkippingSaslFinalFails() {
    try (ScriptedServer server = scramServer(new AtomicReference<>(), new AtomicReference<>(), "4096")
        .expectMessage('p')
        .send(loginOk())
        .start()) {
      CallbackLog log = new CallbackLog();
      Session session = Session.connect(to(server), login(), log);
      assertConnectionFailed(session, log, ServerVerificationFailed.class);
      assertThat(log.log).doesNotContain("authenticated");
    }
  }

  @Test
  void scramIterationCountAboveTheCapFailsWithoutRunningPbkdf2() {
    try (ScriptedServer server = scramServer(new AtomicReference<>(), new AtomicReference<>(), "2000000000")
        .start()) {
      CallbackLog log = new CallbackLog();
      long start = System.nanoTime();
      Session session = Session.connect(to(server), login(), log);
      log.awaitShutdown();
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertConnectionFailed(session, log, ServerVerificationFailed.class);
      // Two billion PBKDF2 iterations take many minutes; failing within seconds proves none ran.
      assertThat(took).isLessThan(Duration.ofSeconds(5));
      server.awaitClientClosed(WAIT);
      assertThat(server.trailingBytes()).as("no client-final message").isEmpty();
    }
  }

  // ---- helpers --------------------------------------------------------------------------------

  /** A server that offers SCRAM-SHA-256 and answers the client-first message. */
  private static ScriptedServer scramServer(AtomicReference<String> nonce, AtomicReference<String> first,
      String iterations) {
    return new ScriptedServer()
        .expectStartup()
        .send(authenticationSasl("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"))
        .step(Scripts.scramServerFirst(nonce, first, iterations));
  }

  /** The real server signature for the scripted exchange, as a PostgreSQL server computes it. */
  private static String serverSignature(String clientNonce, String serverFirst, String clientFinal) {
    String clientFirstBare = "n=" + USER + ",r=" + clientNonce;
    String withoutProof = clientFinal.substring(0, clientFinal.indexOf(",p="));
    String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
    byte[] salted = ScramFunctions.saltedPassword(ScramMechanism.SCRAM_SHA_256,
        StringPreparation.POSTGRESQL_PREPARATION, PASSWORD.toCharArray(),
        "pepper-salt".getBytes(StandardCharsets.UTF_8), 4096);
    byte[] serverKey = ScramFunctions.serverKey(ScramMechanism.SCRAM_SHA_256, salted);
    return Base64.getEncoder().encodeToString(
        ScramFunctions.serverSignature(ScramMechanism.SCRAM_SHA_256, serverKey, authMessage));
  }

  private static void awaitReadyThenClose(Session session, CallbackLog log) {
    Await.until("ready; log " + log.log, WAIT, () -> log.ready() || log.isShutdown());
    assertThat(log.log).containsExactly("connected", "authenticated", "status:IDLE");
    session.close();
    Scripts.assertNothingAfterShutdown(session, log);
    assertThat(log.failures).isEmpty();
  }
}
