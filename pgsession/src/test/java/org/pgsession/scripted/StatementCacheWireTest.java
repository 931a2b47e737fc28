package org.pgsession.scripted;

import org.pgsession.chaos.FrontendMessage;

import org.pgsession.chaos.BackendMessages;

import org.pgsession.invariants.SessionInvariants;
import org.junit.jupiter.api.extension.ExtendWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.pgsession.chaos.BackendMessages.commandComplete;
import static org.pgsession.chaos.BackendMessages.concat;
import static org.pgsession.chaos.BackendMessages.cString;
import static org.pgsession.chaos.BackendMessages.loginOk;
import static org.pgsession.chaos.BackendMessages.message;
import static org.pgsession.chaos.BackendMessages.parseComplete;
import static org.pgsession.chaos.BackendMessages.readyForQuery;
import static org.pgsession.scripted.Scripts.WAIT;
import static org.pgsession.scripted.Scripts.login;
import static org.pgsession.scripted.Scripts.trusting;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pgsession.PreparedQuery;
import org.pgsession.ResultSet;
import org.pgsession.Session;
import org.pgsession.SessionOptions;
import org.pgsession.it.Await;
import org.pgsession.types.CodecRegistry;

/**
 * The statement cache as seen on the wire: the first execution prepares a driver-named
 * statement (Parse + Describe statement + Flush), every later one is Bind + Execute + Sync of
 * that statement with nothing else; with the cache size 0 only the unnamed statement is used.
 */
@ExtendWith(SessionInvariants.class) // no driver channel or timer may outlive a test
class StatementCacheWireTest {
  private static final String SQL = "SELECT x FROM t WHERE x = $1";

  @Test
  void secondUseIsBindExecuteSyncOfTheNamedStatement() {
    try (ScriptedServer server = new ScriptedServer()
        .expectStartup()
        .send(loginOk())
        .expectMessage('P').expectMessage('D').expectMessage('H')
        .send(parseComplete(), parameterDescription(23), rowDescriptionInt4("x"))
        .expectMessage('B').expectMessage('E').expectMessage('S')
        .send(bindComplete(), dataRowInt4(7), commandComplete("SELECT 1"), readyForQuery('I'))
        .expectMessage('B').expectMessage('E').expectMessage('S')
        .send(bindComplete(), dataRowInt4(8), commandComplete("SELECT 1"), readyForQuery('I'))
        .start()) {
      CallbackLog log = new CallbackLog();
      Session session = Session.connect(trusting(server), login(), log);
      Await.until("ready", WAIT, () -> log.ready() || log.isShutdown());
      CallbackLog.Receiver first = log.receiver("first");
      CallbackLog.Receiver second = log.receiver("second");
      session.execute(PreparedQuery.of(SQL, 7), first);
      session.execute(PreparedQuery.of(SQL, 8), second);
      Await.until("both answered", WAIT, () -> first.done() && second.done());
      assertThat(((ResultSet) first.results.get(0)).rows().get(0).get("x")).isEqualTo(7);
      assertThat(((ResultSet) second.results.get(0)).rows().get(0).get("x")).isEqualTo(8);
      server.awaitScript(WAIT);

      List<FrontendMessage> got = server.received();
      List<FrontendMessage> frontend = got.subList(1, got.size()); // after the StartupMessage
      assertThat(frontend).extracting(FrontendMessage::type)
          .containsExactly('P', 'D', 'H', 'B', 'E', 'S', 'B', 'E', 'S');
      String name = frontend.get(0).cStrings(0).get(0);
      assertThat(name).startsWith("_pgs");
      assertThat(frontend.get(0).cStrings(0).get(1)).isEqualTo(SQL);
      // Bind: portal "" then the statement name.
      assertThat(bindStatement(frontend.get(3))).isEqualTo(name);
      assertThat(bindStatement(frontend.get(6))).isEqualTo(name);
      session.close();
      log.awaitShutdown();
    }
  }

  @Test
  void cacheSizeZeroUsesOnlyTheUnnamedStatement() {
    try (ScriptedServer server = new ScriptedServer()
        .expectStartup()
        .send(loginOk())
        .expectMessage('P').expectMessage('D').expectMessage('H')
        .send(parseComplete(), parameterDescription(23), rowDescriptionInt4("x"))
        .expectMessage('B').expectMessage('D').expectMessage('E').expectMessage('S')
        .send(bindComplete(), rowDescriptionInt4Binary("x"), dataRowInt4(7), commandComplete("SELECT 1"),
            readyForQuery('I'))
        .expectMessage('P').expectMessage('B').expectMessage('D').expectMessage('E').expectMessage('S')
        .send(parseComplete(), bindComplete(), rowDescriptionInt4Binary("x"), dataRowInt4(8),
            commandComplete("SELECT 1"), readyForQuery('I'))
        .start()) {
      CallbackLog log = new CallbackLog();
      Session session = Session.connect(trusting(server), login(), log, CodecRegistry.defaults(),
          SessionOptions.defaults().withStatementCacheSize(0));
      Await.until("ready", WAIT, () -> log.ready() || log.isShutdown());
      CallbackLog.Receiver first = log.receiver("first");
      CallbackLog.Receiver second = log.receiver("second");
      session.execute(PreparedQuery.of(SQL, 7), first);
      session.execute(PreparedQuery.of(SQL, 8), second);
      Await.until("both answered", WAIT, () -> first.done() && second.done());
      assertThat(((ResultSet) second.results.get(0)).rows().get(0).get("x")).isEqualTo(8);
      server.awaitScript(WAIT);
      for (FrontendMessage m : server.received()) {
        if (m.type() == 'P') {
          assertThat(m.body()[0]).as("Parse statement name (empty: NUL first)").isZero();
        } else if (m.type() == 'B') {
          assertThat(bindStatement(m)).as("Bind statement name").isEmpty();
        }
      }
      session.close();
      log.awaitShutdown();
    }
  }

  /** @return a Bind's statement name (its body starts with the portal name, then the statement's) */
  private static String bindStatement(FrontendMessage bind) {
    byte[] b = bind.body();
    int portalEnd = 0;
    while (b[portalEnd] != 0) {
      portalEnd++;
    }
    int end = portalEnd + 1;
    while (b[end] != 0) {
      end++;
    }
    return new String(b, portalEnd + 1, end - portalEnd - 1, java.nio.charset.StandardCharsets.UTF_8);
  }

  static byte[] parameterDescription(int... oids) {
    ByteBuffer b = ByteBuffer.allocate(2 + 4 * oids.length).putShort((short) oids.length);
    for (int oid : oids) {
      b.putInt(oid);
    }
    return message('t', b.array());
  }

  static byte[] rowDescriptionInt4(String column) {
    return rowDescription(column, (short) 0);
  }

  static byte[] rowDescriptionInt4Binary(String column) {
    return rowDescription(column, (short) 1);
  }

  private static byte[] rowDescription(String column, short format) {
    byte[] field = ByteBuffer.allocate(18).putInt(0).putShort((short) 0).putInt(23).putShort((short) 4).putInt(-1)
        .putShort(format).array();
    return message('T', concat(new byte[] {0, 1}, cString(column), field));
  }

  static byte[] bindComplete() {
    return message('2', new byte[0]);
  }

  static byte[] dataRowInt4(int v) {
    return message('D', ByteBuffer.allocate(10).putShort((short) 1).putInt(4).putInt(v).array());
  }
}
