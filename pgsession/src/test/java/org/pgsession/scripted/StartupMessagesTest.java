package org.pgsession.scripted;

import org.pgsession.chaos.BackendMessages;

import org.pgsession.invariants.SessionInvariants;
import org.junit.jupiter.api.extension.ExtendWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.pgsession.chaos.BackendMessages.authenticationOk;
import static org.pgsession.chaos.BackendMessages.backendKeyData;
import static org.pgsession.chaos.BackendMessages.commandComplete;
import static org.pgsession.chaos.BackendMessages.dataRow;
import static org.pgsession.chaos.BackendMessages.errorResponse;
import static org.pgsession.chaos.BackendMessages.parameterStatus;
import static org.pgsession.chaos.BackendMessages.readyForQuery;
import static org.pgsession.scripted.Scripts.assertConnectionFailed;
import static org.pgsession.scripted.Scripts.login;
import static org.pgsession.scripted.Scripts.to;
import static org.pgsession.scripted.Scripts.trusting;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.pgsession.ConnectionFailureReason;
import org.pgsession.ConnectionFailureReason.InvalidAuthorizationSpecification;
import org.pgsession.ConnectionFailureReason.InvalidDatabaseName;
import org.pgsession.ConnectionFailureReason.InvalidPassword;
import org.pgsession.ConnectionFailureReason.ServerRejected;
import org.pgsession.ConnectionFailureReason.TooManyConnections;
import org.pgsession.ErrorResponseMessage;
import org.pgsession.ProtocolViolation;
import org.pgsession.Session;

/**
 * Messages during startup: ErrorResponse mapped by SQLSTATE to the connection-failure reason
 * (during authentication, and between AuthenticationOk and the first ReadyForQuery), and
 * messages that have no place before authentication.
 */
@ExtendWith(SessionInvariants.class) // no driver channel or timer may outlive a test
class StartupMessagesTest {

  static Stream<Arguments> sqlStates() {
    return Stream.of(
        Arguments.of("28P01", InvalidPassword.class),
        Arguments.of("28000", InvalidAuthorizationSpecification.class),
        Arguments.of("53300", TooManyConnections.class),
        Arguments.of("3D000", InvalidDatabaseName.class),
        Arguments.of("08P01", ServerRejected.class),
        Arguments.of("XX000", ServerRejected.class));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("sqlStates")
  void errorResponseDuringAuthentication(String code, Class<? extends ConnectionFailureReason> type) {
    try (ScriptedServer server = new ScriptedServer()
        .expectStartup()
        .send(errorResponse("FATAL", code, "scripted failure " + code))
        .start()) {
      CallbackLog log = new CallbackLog();
      Session session = Session.connect(to(server), login(), log);
      ConnectionFailureReason reason = assertConnectionFailed(session, log, type);
      assertErrorCarried(reason, code);
      assertThat(log.log).doesNotContain("authenticated");
    }
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("sqlStates")
  void errorResponseAfterAuthenticationOkBeforeReady(String code, Class<? extends ConnectionFailureReason> type) {
    // PostgreSQL reports a missing database (3D000) only after AuthenticationOk.
    try (ScriptedServer server = new ScriptedServer()
        .expectStartup()
        .send(authenticationOk(), parameterStatus("server_version", "18.0"),
            errorResponse("FATAL", code, "scripted failure " + code))
        .start()) {
      CallbackLog log = new CallbackLog();
      Session session = Session.connect(trusting(server), login(), log);
      ConnectionFailureReason reason = assertConnectionFailed(session, log, type);
      assertErrorCarried(reason, code);
      assertThat(log.log).containsExactly("connected", "authenticated", "failed:" + type.getSimpleName(),
          "shutdown", "after-shutdown:failed:SessionClosed");
    }
  }

  @ParameterizedTest(name = "{0} before authentication")
  @ValueSource(strings = {"DataRow", "ReadyForQuery", "CommandComplete", "BackendKeyData"})
  void wrongStateMessageBeforeAuthenticationIsAProtocolViolation(String kind) {
    byte[] message = switch (kind) {
      case "DataRow" -> dataRow("1");
      case "ReadyForQuery" -> readyForQuery('I');
      case "CommandComplete" -> commandComplete("SELECT 1");
      default -> backendKeyData(1, 2);
    };
    try (ScriptedServer server = new ScriptedServer().expectStartup().send(message).start()) {
      CallbackLog log = new CallbackLog();
      Session session = Session.connect(trusting(server), login(), log);
      assertConnectionFailed(session, log, ProtocolViolation.class);
      assertThat(log.log).doesNotContain("authenticated");
    }
  }

  @ParameterizedTest(name = "{0} after AuthenticationOk")
  @ValueSource(strings = {"DataRow", "CommandComplete"})
  void wrongStateMessageBeforeFirstReadyIsAProtocolViolation(String kind) {
    byte[] message = kind.equals("DataRow") ? dataRow("1") : commandComplete("SELECT 1");
    try (ScriptedServer server = new ScriptedServer()
        .expectStartup().send(authenticationOk(), backendKeyData(1, 2), message).start()) {
      CallbackLog log = new CallbackLog();
      Session session = Session.connect(trusting(server), login(), log);
      assertConnectionFailed(session, log, ProtocolViolation.class);
    }
  }

  private static void assertErrorCarried(ConnectionFailureReason reason, String code) {
    ErrorResponseMessage error;
    if (reason instanceof InvalidPassword r) {
      error = r.response();
    } else if (reason instanceof InvalidAuthorizationSpecification r) {
      error = r.response();
    } else if (reason instanceof TooManyConnections r) {
      error = r.response();
    } else if (reason instanceof InvalidDatabaseName r) {
      error = r.response();
    } else if (reason instanceof ServerRejected r) {
      error = r.response();
    } else {
      throw new AssertionError("reason carries no ErrorResponseMessage: " + reason);
    }
    assertThat(error.code()).isEqualTo(code);
    assertThat(error.message()).isEqualTo("scripted failure " + code);
    assertThat(error.severity()).isEqualTo("FATAL");
    assertThat(error.detail()).isNull();
  }
}
