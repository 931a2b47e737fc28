package org.pgsession.scripted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pgsession.chaos.BackendMessages.authenticationOk;
import static org.pgsession.chaos.BackendMessages.concat;
import static org.pgsession.chaos.BackendMessages.errorResponse;
import static org.pgsession.chaos.BackendMessages.message;
import static org.pgsession.chaos.BackendMessages.readyForQuery;
import static org.pgsession.scripted.Scripts.WAIT;
import static org.pgsession.scripted.Scripts.assertConnectionFailed;
import static org.pgsession.scripted.Scripts.login;
import static org.pgsession.scripted.Scripts.trusting;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pgsession.AuthRequirement;
import org.pgsession.ProtocolViolation;
import org.pgsession.ServerConnectInfo;
import org.pgsession.Session;
import org.pgsession.SessionOptions;
import org.pgsession.chaos.BackendMessages;
import org.pgsession.invariants.SessionInvariants;
import org.pgsession.it.Await;
import org.pgsession.types.CodecRegistry;

/**
 * Protocol 3.2 negotiation: the StartupMessage asks for 3.2; a NegotiateProtocolVersion (as
 * servers send it: the whole version code) downgrades to 3.0; a pooler that refuses 3.2 with an
 * error gets a second connection asking for 3.0; offers the client never asked for are violations.
 */
@ExtendWith(SessionInvariants.class)
class ProtocolNegotiationScriptTest {
  private static final int PROTOCOL_3_0 = 196608;
  private static final int PROTOCOL_3_2 = 196610;


  /** PgBouncer before 1.24 knows only 3.0 and answers "bad packet header" (08P01) to 3.2. */
  private static final SocketScript.Handler REFUSES_32 = c -> {
    c.readStartup();
    c.write(errorResponse("FATAL", "08P01", "bad packet header"));
    c.close();
  };

  private static byte[] npv(int version, String... options) {
    return BackendMessages.negotiateProtocolVersion(version, options);
  }

  /** BackendKeyData with a secret of {@code length} bytes. */
  private static byte[] keyData(int length) {
    ByteBuffer b = ByteBuffer.allocate(4 + length).putInt(4242);
    for (int i = 0; i < length; i++) {
      b.put((byte) i);
    }
    return message('K', b.array());
  }

  private static void assertOpensAs(ScriptedServer server, String version, SessionOptions options) {
    CallbackLog log = new CallbackLog();
    Session session = Session.connect(trusting(server), login(), log, CodecRegistry.defaults(), options);
    Await.until("ready; log " + log.log, WAIT, () -> log.ready() || log.isShutdown());
    assertThat(log.log).containsExactly("connected", "authenticated", "status:IDLE");
    assertThat(session.protocolVersion()).isEqualTo(version);
    assertThat(session.backendPid()).isEqualTo(4242);
    session.close();
    log.awaitShutdown();
  }

  @Test
  void asksFor32AndSpeaksItWithALongKey() {
    try (ScriptedServer server = new ScriptedServer().expectStartup()
        .send(authenticationOk(), keyData(32), readyForQuery('I')).start()) {
      assertOpensAs(server, "3.2", SessionOptions.defaults());
      assertThat(server.received().get(0).protocolCode()).isEqualTo(PROTOCOL_3_2);
    }
  }

  @Test
  void downgradeTo30AsServersSendIt() {
    // PostgreSQL 14-17 answer a 3.2 request with NegotiateProtocolVersion(196608 = 3.0).
    try (ScriptedServer server = new ScriptedServer().expectStartup()
        .send(npv(PROTOCOL_3_0), authenticationOk(), keyData(4), readyForQuery('I')).start()) {
      assertOpensAs(server, "3.0", SessionOptions.defaults());
    }
  }

  @Test
  void greaseOptionNamedBackAt32() {
    // PostgreSQL 18 with an unknown _pq_ option: same version, the option listed as unrecognised.
    try (ScriptedServer server = new ScriptedServer().expectStartup()
        .send(npv(PROTOCOL_3_2, "_pq_.grease"), authenticationOk(), keyData(32), readyForQuery('I'))
        .start()) {
      assertOpensAs(server, "3.2", SessionOptions.defaults().withStartupParameter("_pq_.grease", "1"));
      assertThat(server.received().get(0).startupParameters()).containsEntry("_pq_.grease", "1");
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(ints = {196611, 196609, 262144, 3, 1})
  void offersTheClientNeverAskedForAreViolations(int offered) {
    // 3.3 (newer), 3.1 (never released), 4.0 (other major), bare 3 (newer), bare 1 (3.1)
    try (ScriptedServer server = new ScriptedServer().expectStartup()
        .send(npv(offered), authenticationOk(), readyForQuery('I')).silent().start()) {
      CallbackLog log = new CallbackLog();
      Session session = Session.connect(trusting(server), login(), log);
      ProtocolViolation pv = assertConnectionFailed(session, log, ProtocolViolation.class);
      assertThat(pv.message()).contains("NegotiateProtocolVersion");
    }
  }

  @Test
  void sameVersionWithoutOptionsIsAViolation() {
    try (ScriptedServer server = new ScriptedServer().expectStartup()
        .send(npv(PROTOCOL_3_2), authenticationOk(), readyForQuery('I')).silent().start()) {
      CallbackLog log = new CallbackLog();
      Session session = Session.connect(trusting(server), login(), log);
      assertThat(assertConnectionFailed(session, log, ProtocolViolation.class).message())
          .contains("neither downgrades");
    }
  }

  @Test
  void poolerRefusing32WithAnErrorGetsOneReconnectAsking30() throws Exception {
    try (SocketScript server = new SocketScript(
        REFUSES_32,
        c -> {
          c.readStartup();
          c.write(authenticationOk(), keyData(4), readyForQuery('I'));
          c.awaitEnd();
        })) {
      CallbackLog log = new CallbackLog();
      ServerConnectInfo info = ServerConnectInfo.of("127.0.0.1", server.port())
          .withAuthRequirement(AuthRequirement.ALLOW_ANY);
      Session session = Session.connect(info, login(), log);
      Await.until("ready; log " + log.log, WAIT, () -> log.ready() || log.isShutdown());
      assertThat(log.log).containsExactly("connected", "authenticated", "status:IDLE");
      assertThat(session.protocolVersion()).isEqualTo("3.0");
      assertThat(server.received).extracting(SocketScript::code)
          .containsExactly(PROTOCOL_3_2, PROTOCOL_3_0);
      session.close();
      log.awaitShutdown();
      assertThat(server.errors).isEmpty();
    }
  }

  @Test
  void anErrorOnThe30RetryFailsWithoutAThirdConnection() {
    try (SocketScript server = new SocketScript(
        REFUSES_32,
        c -> {
          c.readStartup();
          c.write(errorResponse("FATAL", "08P01", "unsupported protocol"));
          c.awaitEnd();
        })) {
      CallbackLog log = new CallbackLog();
      Session session = Session.connect(ServerConnectInfo.of("127.0.0.1", server.port())
          .withAuthRequirement(AuthRequirement.ALLOW_ANY), login(), log);
      assertConnectionFailed(session, log, org.pgsession.ConnectionFailureReason.ServerRejected.class);
      assertThat(server.received).hasSize(2);
    }
  }

  @Test
  void otherStartupErrorsAreNotRetried() {
    try (ScriptedServer server = new ScriptedServer().expectStartup()
        .send(concat(errorResponse("FATAL", "08P01", "scripted failure"))).start()) {
      CallbackLog log = new CallbackLog();
      Session session = Session.connect(trusting(server), login(), log);
      assertConnectionFailed(session, log, org.pgsession.ConnectionFailureReason.ServerRejected.class);
    }
  }
}
