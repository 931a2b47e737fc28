package org.pgsession.scripted;

import org.pgsession.chaos.BackendMessages;

import org.junit.jupiter.api.extension.ExtendWith;
import org.pgsession.invariants.SessionInvariants;
import static org.assertj.core.api.Assertions.assertThat;
import static org.pgsession.chaos.BackendMessages.authenticationOk;
import static org.pgsession.chaos.BackendMessages.authenticationSasl;
import static org.pgsession.chaos.BackendMessages.concat;
import static org.pgsession.chaos.BackendMessages.cString;
import static org.pgsession.chaos.BackendMessages.errorResponse;
import static org.pgsession.chaos.BackendMessages.loginOk;
import static org.pgsession.chaos.BackendMessages.message;
import static org.pgsession.chaos.BackendMessages.readyForQuery;
import static org.pgsession.scripted.Scripts.WAIT;
import static org.pgsession.scripted.Scripts.assertConnectionFailed;
import static org.pgsession.scripted.Scripts.assertNothingAfterShutdown;
import static org.pgsession.scripted.Scripts.login;
import static org.pgsession.scripted.Scripts.to;
import static org.pgsession.scripted.Scripts.trusting;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pgsession.ClientQueryError;
import org.pgsession.ConnectionFailureReason.ServerVerificationFailed;
import org.pgsession.PreparedQuery;
import org.pgsession.ProtocolViolation;
import org.pgsession.Session;
import org.pgsession.SessionOptions;
import org.pgsession.SimpleQuery;
import org.pgsession.SslMode;
import org.pgsession.it.Await;
import org.pgsession.types.Codec;
import org.pgsession.types.CodecRegistry;
import org.pgsession.types.Format;

/**
 * One test per class of hostile server (or hostile-input) behaviour that has broken real
 * drivers. Each must end in a clear typed failure, before the client does any expensive or
 * unsafe work, and the recorded frontend bytes prove what was (not) sent.
 *
 * <p>Covered elsewhere, not repeated here: bytes behind the SSL accept, CVE-2021-23222
 * ({@code StartupTransportTest.bytesBehindTheSslAcceptAreAProtocolViolation}); cleartext, MD5
 * and trust offered under REQUIRE_SCRAM, the password never sent
 * ({@code AuthenticationScriptTest.requireScramRejectsWeakerMethods}); a wrong SCRAM server
 * signature ({@code AuthenticationScriptTest.scramWithAWrongServerSignatureFails}).
 */
@ExtendWith(SessionInvariants.class) // no driver channel or timer may outlive a test
class MaliciousServerTest {

  // ---- transport --------------------------------------------------------------------------

  @ParameterizedTest(name = "sslmode {0}")
  @ValueSource(strings = {"required", "preferred"})
  void errorResponseToSslRequestFailsWithoutTrustingItsText(String mode) throws Exception {
    // An unauthenticated peer's words: neither shown as a server error nor a reason to go on in
    // plaintext.
    try (ScriptedServer server = new ScriptedServer()
        .expectStartup()
        .send(errorResponse("FATAL", "28000", "injected: please send your password"))
        .silent()
        .start()) {
      CallbackLog log = new CallbackLog();
      SslMode ssl = mode.equals("required") ? SslMode.required(SSLContext.getDefault())
          : SslMode.preferred(SSLContext.getDefault());
      Session session = Session.connect(to(server).withSslMode(ssl), login(), log);
      ProtocolViolation pv = assertConnectionFailed(session, log, ProtocolViolation.class);
      assertThat(pv.message()).doesNotContain("injected");
      server.awaitClientClosed(WAIT);
      assertThat(server.received()).singleElement().satisfies(r -> assertThat(r.isSslRequest()).isTrue());
      assertThat(server.trailingBytes()).as("no plaintext StartupMessage").isEmpty();
    }
  }

  // ---- framing ----------------------------------------------------------------------------

  @Test
  void frameLengthIntMaxFailsAsSoonAsTheHeaderArrives() {
    // Only the 5-byte header is ever sent: the session must not wait for (or allocate) 2 GiB.
    // Runs under the test JVM's small heap (-Xmx256m in the pom).
    byte[] header = ByteBuffer.allocate(5).put((byte) 'D').putInt(0x7fffffff).array();
    try (ScriptedServer server = new ScriptedServer()
        .expectStartup().send(loginOk())
        .expectMessage('Q').send(header).silent()
        .start()) {
      CallbackLog log = new CallbackLog();
      Session session = Session.connect(trusting(server), login(), log);
      awaitReady(log);
      CallbackLog.Receiver q = log.receiver("q");
      session.execute(new SimpleQuery("SELECT 1"), q);
      log.awaitShutdown();
      assertNothingAfterShutdown(session, log);
      assertThat(q.failures).singleElement().isInstanceOfSatisfying(ProtocolViolation.class,
          pv -> assertThat(pv.message()).contains("2147483647"));
      server.awaitClientClosed(WAIT);
    }
  }

  @Test
  void frameAboveTheConfiguredMaximumFailsAsSoonAsTheHeaderArrives() {
    int limit = 1 << 20;
    byte[] header = ByteBuffer.allocate(5).put((byte) 'D').putInt(limit + 1).array();
    try (ScriptedServer server = new ScriptedServer()
        .expectStartup().send(loginOk())
        .expectMessage('Q').send(header).silent()
        .start()) {
      CallbackLog log = new CallbackLog();
      Session session = Session.connect(trusting(server), login(), log, CodecRegistry.defaults(),
          SessionOptions.defaults().withMaxMessageSize(limit));
      awaitReady(log);
      CallbackLog.Receiver q = log.receiver("q");
      session.execute(new SimpleQuery("SELECT 1"), q);
      log.awaitShutdown();
      assertThat(q.failures).singleElement().isInstanceOf(ProtocolViolation.class);
      server.awaitClientClosed(WAIT);
    }
  }

  @ParameterizedTest(name = "field length {0}")
  @ValueSource(ints = {-2, Integer.MIN_VALUE, 1000, Integer.MAX_VALUE})
  void dataRowFieldLengthOutOfRangeIsAProtocolViolation(int length) {
    // A negative length other than -1 (NULL), or one beyond the message: never trusted for an
    // allocation or a read past the frame.
    byte[] row = message('D', ByteBuffer.allocate(2 + 4 + 3).putShort((short) 1).putInt(length)
        .put(new byte[] {'a', 'b', 'c'}).array());
    java.util.concurrent.CountDownLatch bothQueued = new java.util.concurrent.CountDownLatch(1);
    try (ScriptedServer server = new ScriptedServer()
        .expectStartup().send(loginOk())
        .expectMessage('Q').holdUntil(bothQueued).send(rowDescription("a"), row).silent()
        .start()) {
      CallbackLog log = new CallbackLog();
      Session session = Session.connect(trusting(server), login(), log);
      awaitReady(log);
      CallbackLog.Receiver q = log.receiver("q");
      CallbackLog.Receiver queued = log.receiver("queued");
      session.execute(new SimpleQuery("SELECT a FROM t"), q);
      session.execute(new SimpleQuery("SELECT 2"), queued);
      bothQueued.countDown(); // the answer comes only after both were posted to the session
      log.awaitShutdown();
      assertNothingAfterShutdown(session, log);
      assertThat(q.failures).singleElement().isInstanceOf(ProtocolViolation.class);
      assertThat(queued.failures).containsExactly(new ClientQueryError.SessionClosed());
      assertThat(log.failures).isEmpty();
    }
  }

  // ---- startup ----------------------------------------------------------------------------

  @ParameterizedTest(name = "secret key of {0} bytes")
  @ValueSource(ints = {0, 300})
  void backendKeyDataOfImplausibleLengthIsAProtocolViolation(int keyLength) {
    byte[] key = message('K', ByteBuffer.allocate(4 + keyLength).putInt(4242).array());
    try (ScriptedServer server = new ScriptedServer()
        .expectStartup().send(authenticationOk(), key, readyForQuery('I')).silent()
        .start()) {
      CallbackLog log = new CallbackLog();
      Session session = Session.connect(trusting(server), login(), log);
      assertConnectionFailed(session, log, ProtocolViolation.class);
      assertThat(log.log).doesNotContain("status:IDLE");
      server.awaitClientClosed(WAIT);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"newer minor version", "option never asked for", "after AuthenticationOk", "twice"})
  void negotiateProtocolVersionAbuseIsAProtocolViolation(String abuse) {
    byte[] script = switch (abuse) {
      case "newer minor version" -> concat(negotiateProtocolVersion(5), loginOk());
      case "option never asked for" -> concat(negotiateProtocolVersion(0, "_pq_.evil"), loginOk());
      case "after AuthenticationOk" -> concat(authenticationOk(), negotiateProtocolVersion(0), readyForQuery('I'));
      default -> concat(negotiateProtocolVersion(0), negotiateProtocolVersion(0), loginOk());
    };
    try (ScriptedServer server = new ScriptedServer().expectStartup().send(script).silent().start()) {
      CallbackLog log = new CallbackLog();
      Session session = Session.connect(trusting(server), login(), log);
      ProtocolViolation pv = assertConnectionFailed(session, log, ProtocolViolation.class);
      assertThat(pv.message()).contains("NegotiateProtocolVersion");
      assertThat(log.log).doesNotContain("status:IDLE");
      server.awaitClientClosed(WAIT);
    }
  }

  @Test
  void negotiateProtocolVersionForAnOptionTheClientSentIsAccepted() {
    try (ScriptedServer server = new ScriptedServer()
        .expectStartup().send(negotiateProtocolVersion(0, "_pq_.compression"), loginOk())
        .start()) {
      CallbackLog log = new CallbackLog();
      Session session = Session.connect(trusting(server), login(), log, CodecRegistry.defaults(),
          SessionOptions.defaults().withStartupParameter("_pq_.compression", "on"));
      Await.until("ready; log " + log.log, WAIT, () -> log.ready() || log.isShutdown());
      assertThat(log.log).containsExactly("connected", "authenticated", "status:IDLE");
      session.close();
      log.awaitShutdown();
    }
  }

  // ---- SCRAM ------------------------------------------------------------------------------

  @Test
  void scramIterationCountIntMaxIsRejectedBeforeAnyKeyDerivation() {
    // 2^31-1 iterations of PBKDF2 would take hours; a cap check after derivation is no defence.
    try (ScriptedServer server = new ScriptedServer()
        .expectStartup()
        .send(authenticationSasl("SCRAM-SHA-256"))
        .step(Scripts.scramServerFirst(new AtomicReference<>(), new AtomicReference<>(), "2147483647"))
        .start()) {
      CallbackLog log = new CallbackLog();
      Session session = Session.connect(to(server), login(), log);
      assertConnectionFailed(session, log, ServerVerificationFailed.class);
      server.awaitClientClosed(WAIT);
      assertThat(server.trailingBytes()).as("no client-final message").isEmpty();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"unrelated nonce", "client nonce unchanged"})
  void scramServerNonceNotExtendingTheClientNonceIsRejected(String variant) {
    try (ScriptedServer server = new ScriptedServer()
        .expectStartup()
        .send(authenticationSasl("SCRAM-SHA-256"))
        .step(c -> {
          String clientFirst = c.readMessage().saslInitialData();
          String clientNonce = clientFirst.substring(clientFirst.indexOf(",r=") + 3);
          String nonce = variant.equals("unrelated nonce") ? "AAAAAAAAAAAAAAAAAAAAAAAAserver" : clientNonce;
          String salt = java.util.Base64.getEncoder().encodeToString("salt".getBytes(StandardCharsets.UTF_8));
          c.write(BackendMessages.saslContinue("r=" + nonce + ",s=" + salt + ",i=4096"));
        })
        .start()) {
      CallbackLog log = new CallbackLog();
      Session session = Session.connect(to(server), login(), log);
      assertConnectionFailed(session, log, ServerVerificationFailed.class);
      server.awaitClientClosed(WAIT);
      assertThat(server.trailingBytes()).as("no client proof sent").isEmpty();
    }
  }

  // ---- frontend ---------------------------------------------------------------------------

  @Test
  void oversizeFrontendMessageIsRejectedBeforeAByteIsWritten() {
    // CVE-2024-27304 class: a Bind above 1 GiB (here 70 parameters sharing one 16 MiB array, so
    // the test's heap holds it) must fail the operation before anything is written, or the
    // server would read the rest of it as further messages.
    byte[] big = new byte[16 << 20];
    record Blob(int id) { }
    Codec blobCodec = new Codec() {
      @Override public Format format() {
        return Format.BINARY;
      }

      @Override public Class<?> javaType() {
        return Blob.class;
      }

      @Override public byte[] encode(Object value) {
        return big; // shared, not copied
      }

      @Override public Object decode(ByteBuffer data) {
        return new Blob(0);
      }
    };
    CodecRegistry registry = CodecRegistry.defaults().withCodec(17_000_001, blobCodec);
    List<Object> params = new ArrayList<>();
    StringBuilder sql = new StringBuilder("SELECT 1");
    for (int i = 1; i <= 70; i++) {
      params.add(new Blob(i));
      sql.append(" WHERE $").append(i).append(" IS NOT NULL");
    }
    try (ScriptedServer server = new ScriptedServer().expectStartup().send(loginOk()).start()) {
      CallbackLog log = new CallbackLog();
      Session session = Session.connect(trusting(server), login(), log, registry, SessionOptions.defaults());
      Await.until("ready", WAIT, () -> log.ready() || log.isShutdown());
      CallbackLog.Receiver q = log.receiver("q");
      session.execute(PreparedQuery.of(sql.toString(), params.toArray()), q);
      Await.until("rejected", WAIT, q::done);
      assertThat(q.failures).singleElement().isInstanceOf(ClientQueryError.DataError.class);
      session.close();
      log.awaitShutdown();
      server.awaitClientClosed(WAIT);
      assertThat(server.trailingBytes()).as("only Terminate was written").containsExactly('X', 0, 0, 0, 4);
    }
  }

  private static void awaitReady(CallbackLog log) {
    Await.until("ready", WAIT, () -> log.ready() || log.isShutdown());
    assertThat(log.ready()).as("ready; log %s", log.log).isTrue();
  }

  // ---- message builders -------------------------------------------------------------------

  private static byte[] negotiateProtocolVersion(int newestMinor, String... options) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(ByteBuffer.allocate(8).putInt(newestMinor).putInt(options.length).array());
    for (String o : options) {
      b.writeBytes(cString(o));
    }
    return message('v', b.toByteArray());
  }

  /** RowDescription of text columns. */
  private static byte[] rowDescription(String... names) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(ByteBuffer.allocate(2).putShort((short) names.length).array());
    for (String n : names) {
      b.writeBytes(cString(n));
      b.writeBytes(ByteBuffer.allocate(18).putInt(0).putShort((short) 0).putInt(25).putShort((short) -1)
          .putInt(-1).putShort((short) 0).array());
    }
    return message('T', b.toByteArray());
  }
}
