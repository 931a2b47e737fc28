package org.pgsession.scripted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pgsession.chaos.BackendMessages.commandComplete;
import static org.pgsession.chaos.BackendMessages.dataRow;
import static org.pgsession.chaos.BackendMessages.loginOk;
import static org.pgsession.chaos.BackendMessages.readyForQuery;
import static org.pgsession.scripted.Scripts.WAIT;
import static org.pgsession.scripted.Scripts.login;
import static org.pgsession.scripted.Scripts.trusting;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgsession.ConnectConfig;
import org.pgsession.ConnectionFailureReason;
import org.pgsession.PgConnectException;
import org.pgsession.Session;
import org.pgsession.SessionOptions;
import org.pgsession.TargetSessionAttrs;
import org.pgsession.chaos.BackendMessages;
import org.pgsession.invariants.SessionInvariants;
import org.pgsession.it.Futures;

/**
 * target_session_attrs against servers that report neither {@code in_hot_standby} nor
 * {@code default_transaction_read_only} at login (older servers, poolers): the Opener asks with
 * one query, and a server that never answers it cannot hang the open.
 */
@ExtendWith(SessionInvariants.class)
class ServerRoleScriptTest {

  private static ScriptedServer answering(String inRecovery, String readOnly) {
    return new ScriptedServer()
        .expectStartup()
        .send(loginOk())
        .expectMessage('Q')
        .send(BackendMessages.rowDescription(BackendMessages.Column.text("pg_is_in_recovery"),
            BackendMessages.Column.text("current_setting")), dataRow(inRecovery, readOnly),
            commandComplete("SELECT 1"), readyForQuery('I'))
        .start();
  }

  @Test
  void withoutReportedParametersTheRoleIsAskedAndAStandbyIsSkipped() {
    try (ScriptedServer standby = answering("true", "on"); ScriptedServer primary = answering("false", "off")) {
      ConnectConfig config = ConnectConfig.of(List.of(trusting(standby), trusting(primary)), login(),
          SessionOptions.defaults()).withTargetSessionAttrs(TargetSessionAttrs.READ_WRITE);
      Session session = Futures.await(Session.open(config));
      try {
        assertThat(standby.received()).anySatisfy(m -> {
          assertThat(m.type()).isEqualTo('Q');
          assertThat(m.text()).contains("pg_is_in_recovery()").contains("transaction_read_only");
        });
        assertThat(primary.received()).anySatisfy(m -> assertThat(m.type()).isEqualTo('Q'));
        standby.awaitClientClosed(WAIT); // the wrong server's session was closed
      } finally {
        session.close();
      }
      primary.awaitClientClosed(WAIT);
    }
  }

  @Test
  void aPrimaryThatIsReadOnlyByDefaultIsRefusedForReadWrite() {
    try (ScriptedServer server = answering("false", "on")) {
      ConnectConfig config = ConnectConfig.of(List.of(trusting(server)), login(), SessionOptions.defaults())
          .withTargetSessionAttrs(TargetSessionAttrs.READ_WRITE);
      Throwable t = Futures.failure(Session.open(config));
      assertThat(t).isInstanceOf(PgConnectException.class);
      assertThat(((PgConnectException) t).reason()).isEqualTo(new ConnectionFailureReason.ServerRoleMismatch(
          TargetSessionAttrs.READ_WRITE, "a primary, read-only by default (default_transaction_read_only=on)"));
      server.awaitClientClosed(WAIT);
    }
  }

  @Test
  void aServerThatNeverAnswersTheRoleQueryFailsTheOpenInBoundedTime() {
    try (ScriptedServer server = new ScriptedServer()
        .expectStartup()
        .send(loginOk())
        .expectMessage('Q')
        .acceptCancelAndKeepItOpen() // the cancel after the check's timeout changes nothing
        .silent()
        .start()) {
      ConnectConfig config = ConnectConfig.of(List.of(trusting(server).withConnectionTimeout(Duration.ofSeconds(1))),
          login(), SessionOptions.defaults().withCancelGracePeriod(Duration.ofSeconds(1)))
          .withTargetSessionAttrs(TargetSessionAttrs.PRIMARY);
      Throwable t = Futures.failure(Session.open(config));
      assertThat(t).isInstanceOf(PgConnectException.class).hasMessageContaining("the check failed");
      assertThat(((PgConnectException) t).reason()).isInstanceOf(ConnectionFailureReason.ServerRoleMismatch.class);
      server.awaitClientClosed(WAIT);
    }
  }
}
