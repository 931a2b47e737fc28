package org.pgsession.scripted;

import org.pgsession.invariants.SessionInvariants;
import org.junit.jupiter.api.extension.ExtendWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.pgsession.scripted.ScriptedServer.dataRow;
import static org.pgsession.scripted.ScriptedServer.loginOk;
import static org.pgsession.scripted.ScriptedServer.parseComplete;
import static org.pgsession.scripted.Scripts.WAIT;
import static org.pgsession.scripted.Scripts.assertNothingAfterShutdown;
import static org.pgsession.scripted.Scripts.login;
import static org.pgsession.scripted.Scripts.trusting;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.pgsession.ClientQueryError;
import org.pgsession.ProtocolViolation;
import org.pgsession.ServerConnectInfo;
import org.pgsession.Session;
import org.pgsession.SimpleQuery;
import org.pgsession.it.Await;

/**
 * A logged-in session against a scripted server that misbehaves: rows nobody asked for, a
 * query answered with a message of another exchange, a hang-up mid-query. The operation in
 * flight, the queued ones and the session each end exactly once. A failure after the first
 * ReadyForQuery is not a connection failure: no {@code pgSessionConnectionFailed}.
 */
@ExtendWith(SessionInvariants.class) // no driver channel or timer may outlive a test
class LoggedInScriptTest {

  @Test
  void dataRowWhileIdleIsAProtocolViolationShutdown() {
    try (ScriptedServer server = new ScriptedServer()
        .expectStartup()
        .send(loginOk(), dataRow("surprise"))
        .start()) {
      CallbackLog log = new CallbackLog();
      Session session = Session.connect(trusting(server), login(), log);
      log.awaitShutdown();
      assertNothingAfterShutdown(session, log);
      assertThat(log.log).containsExactly("connected", "authenticated", "status:IDLE", "shutdown",
          "after-shutdown:failed:SessionClosed");
      server.awaitClientClosed(WAIT);
    }
  }

  @Test
  void wrongStateAnswerFailsTheQueryInFlightAndClosesTheQueued() {
    CountDownLatch answer = new CountDownLatch(1);
    try (ScriptedServer server = new ScriptedServer()
        .expectStartup()
        .send(loginOk())
        .expectMessage('Q')
        .holdUntil(answer)
        .send(parseComplete()) // belongs to the extended protocol, not to a simple Query
        .start()) {
      CallbackLog log = new CallbackLog();
      Session session = Session.connect(trusting(server), login(), log);
      Await.until("ready", WAIT, () -> log.ready() || log.isShutdown());
      CallbackLog.Receiver q1 = log.receiver("q1");
      CallbackLog.Receiver q2 = log.receiver("q2");
      CallbackLog.Receiver q3 = log.receiver("q3");
      session.execute(new SimpleQuery("SELECT 1"), q1);
      session.execute(new SimpleQuery("SELECT 2"), q2);
      session.execute(new SimpleQuery("SELECT 3"), q3);
      Await.until("server got the query", WAIT, () -> server.received().size() >= 2);
      answer.countDown();
      log.awaitShutdown();
      assertNothingAfterShutdown(session, log);

      assertThat(q1.failures).singleElement().isInstanceOf(ProtocolViolation.class);
      assertThat(q2.failures).containsExactly(new ClientQueryError.SessionClosed());
      assertThat(q3.failures).containsExactly(new ClientQueryError.SessionClosed());
      assertThat(List.of(q1, q2, q3)).allSatisfy(q -> assertThat(q.callbacks.get()).isEqualTo(1));
      assertThat(log.failures).as("no connection failure after ready").isEmpty();
      assertThat(log.log).containsExactly("connected", "authenticated", "status:IDLE",
          "q1:failed:ProtocolViolation", "q2:failed:SessionClosed", "q3:failed:SessionClosed", "shutdown",
          "after-shutdown:failed:SessionClosed");
      server.awaitClientClosed(WAIT);
      assertThat(server.received()).hasSize(2);
      assertThat(server.received().get(1).text()).isEqualTo("SELECT 1\0");
      assertThat(new String(server.trailingBytes(), StandardCharsets.US_ASCII))
          .as("queued queries were never sent").doesNotContain("SELECT");
    }
  }

  @Test
  void peerCloseMidQueryClosesInFlightAndQueued() {
    // The server closes only once both are submitted: q2 is queued while the session lives, so it
    // must fail in the drain, before pgSessionShutdown (closing at once raced the test thread).
    CountDownLatch bothSubmitted = new CountDownLatch(1);
    try (ScriptedServer server = new ScriptedServer()
        .expectStartup()
        .send(loginOk())
        .expectMessage('Q')
        .holdUntil(bothSubmitted)
        .closeConnection()
        .start()) {
      CallbackLog log = new CallbackLog();
      Session session = Session.connect(trusting(server), login(), log);
      Await.until("ready", WAIT, () -> log.ready() || log.isShutdown());
      CallbackLog.Receiver q1 = log.receiver("q1");
      CallbackLog.Receiver q2 = log.receiver("q2");
      session.execute(new SimpleQuery("SELECT pg_sleep(10)"), q1);
      session.execute(new SimpleQuery("SELECT 2"), q2);
      bothSubmitted.countDown();
      log.awaitShutdown();
      assertNothingAfterShutdown(session, log);
      assertThat(q1.failures).containsExactly(new ClientQueryError.SessionClosed());
      assertThat(q2.failures).containsExactly(new ClientQueryError.SessionClosed());
      assertThat(q1.callbacks.get() + q2.callbacks.get()).isEqualTo(2);
      assertThat(log.failures).isEmpty();
      assertThat(log.log).containsSubsequence("q1:failed:SessionClosed", "q2:failed:SessionClosed", "shutdown");
    }
  }

  @Test
  void operationBeforeTcpIsUpFailsWithSessionNeverOpened() throws Exception {
    // A listener whose accept queue is full drops further SYNs: the session's TCP connect stays
    // pending, so "before TCP is up" lasts as long as the test needs (a reachable server would race).
    InetSocketAddress address;
    List<Socket> fillers = new ArrayList<>();
    try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      address = (InetSocketAddress) full.getLocalSocketAddress();
      while (true) {
        Socket filler = new Socket();
        try {
          filler.connect(address, 300);
          fillers.add(filler);
        } catch (SocketTimeoutException queueFull) {
          filler.close();
          break;
        }
        assertThat(fillers).as("accept queue never filled").hasSizeLessThan(64);
      }
      CallbackLog log = new CallbackLog();
      Session session = Session.connect(ServerConnectInfo.of("127.0.0.1", address.getPort()), login(), log);
      CallbackLog.Receiver early = log.receiver("early");
      session.execute(new SimpleQuery("SELECT 1"), early);
      Await.until("early failure", WAIT, early::done);
      assertThat(early.failures).containsExactly(new ClientQueryError.SessionNeverOpened());
      session.close();
      assertNothingAfterShutdown(session, log);
      assertThat(log.log).containsExactly("early:failed:SessionNeverOpened", "shutdown",
          "after-shutdown:failed:SessionClosed");
      assertThat(log.failures).as("a user close is not a connection failure").isEmpty();
    } finally {
      for (Socket f : fillers) {
        f.close();
      }
    }
  }

  @Test
  void operationBeforeAuthenticationFailsWithSessionNotAuthenticated() {
    CountDownLatch release = new CountDownLatch(1);
    try (ScriptedServer server = new ScriptedServer().expectStartup().holdUntil(release).start()) {
      CallbackLog log = new CallbackLog();
      Session session = Session.connect(Scripts.to(server), login(), log);
      Await.until("connected and StartupMessage received", WAIT,
          () -> log.log.contains("connected") && !server.received().isEmpty());
      CallbackLog.Receiver early = log.receiver("early");
      session.execute(new SimpleQuery("SELECT 1"), early);
      Await.until("early failure", WAIT, early::done);
      assertThat(early.failures).containsExactly(new ClientQueryError.SessionNotAuthenticated());
      session.close();
      assertNothingAfterShutdown(session, log);
      assertThat(log.log).containsExactly("connected", "early:failed:SessionNotAuthenticated", "shutdown",
          "after-shutdown:failed:SessionClosed");
      release.countDown();
    }
  }

  @Test
  void operationAfterShutdownFailsWithSessionClosed() {
    try (ScriptedServer server = new ScriptedServer().expectStartup().send(loginOk()).start()) {
      CallbackLog log = new CallbackLog();
      Session session = Session.connect(trusting(server), login(), log);
      Await.until("ready", WAIT, () -> log.ready() || log.isShutdown());
      session.close();
      session.close();
      log.awaitShutdown();
      // executes after the shutdown and asserts SessionClosed, and that it is the only callback after it
      assertNothingAfterShutdown(session, log);
      assertThat(log.log).containsExactly("connected", "authenticated", "status:IDLE", "shutdown",
          "after-shutdown:failed:SessionClosed");
      server.awaitClientClosed(WAIT);
      assertThat(server.trailingBytes()).as("one Terminate").containsExactly('X', 0, 0, 0, 4);
    }
  }
}
