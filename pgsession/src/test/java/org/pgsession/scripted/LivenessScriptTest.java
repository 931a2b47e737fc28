package org.pgsession.scripted;

import org.pgsession.chaos.BackendMessages;

import org.junit.jupiter.api.extension.ExtendWith;
import org.pgsession.invariants.SessionInvariants;
import static org.assertj.core.api.Assertions.assertThat;
import static org.pgsession.chaos.BackendMessages.commandComplete;
import static org.pgsession.chaos.BackendMessages.errorResponse;
import static org.pgsession.chaos.BackendMessages.loginOk;
import static org.pgsession.chaos.BackendMessages.message;
import static org.pgsession.chaos.BackendMessages.parameterStatus;
import static org.pgsession.chaos.BackendMessages.readyForQuery;
import static org.pgsession.scripted.Scripts.WAIT;
import static org.pgsession.scripted.Scripts.assertNothingAfterShutdown;
import static org.pgsession.scripted.Scripts.login;
import static org.pgsession.scripted.Scripts.trusting;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.pgsession.ClientQueryError;
import org.pgsession.ErrorResponseMessage;
import org.pgsession.PreparedQuery;
import org.pgsession.Session;
import org.pgsession.SessionOptions;
import org.pgsession.SimpleQuery;
import org.pgsession.it.Await;
import org.pgsession.types.CodecRegistry;

/**
 * Liveness against a server that stops cooperating: it never answers (half-open connection,
 * black hole), stops reading, sends FATAL and keeps the socket open, or never closes a cancel
 * connection. Each case ends within a bound the driver sets, never the server.
 */
@ExtendWith(SessionInvariants.class) // no driver channel or timer may outlive a test
class LivenessScriptTest {
  private static final Duration TIMEOUT = Duration.ofMillis(200);
  private static final SessionOptions SHORT_GRACE =
      SessionOptions.defaults().withCancelGracePeriod(Duration.ofMillis(300));

  private static Session connect(ScriptedServer server, CallbackLog log, SessionOptions options) {
    Session session = Session.connect(trusting(server), login(), log, CodecRegistry.defaults(), options);
    Await.until("ready; log " + log.log, WAIT, () -> log.ready() || log.isShutdown());
    assertThat(log.ready()).as("ready; log %s", log.log).isTrue();
    return session;
  }

  /** Starts one operation of the given kind with the test's statement timeout. */
  private static void start(Session s, String kind, AnyReceiver r) {
    switch (kind) {
      case "simple" -> s.execute(new SimpleQuery("SELECT pg_sleep(60)"), r, TIMEOUT);
      case "extended" -> s.execute(PreparedQuery.of("SELECT $1::int4", 1), r, TIMEOUT);
      case "prepare" -> s.prepare("st", "SELECT 1", r, TIMEOUT);
      case "copyIn" -> s.copyIn("COPY t FROM STDIN", r, TIMEOUT);
      case "copyOut" -> s.copyOut("COPY t TO STDOUT", r, TIMEOUT);
      case "stream" -> s.stream(PreparedQuery.of("SELECT 1"), 10, r, TIMEOUT);
      case "pipeline" -> s.pipeline(List.of(PreparedQuery.of("SELECT 1"), PreparedQuery.of("SELECT 2")), r, TIMEOUT);
      default -> throw new IllegalArgumentException(kind);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"simple", "extended", "prepare", "copyIn", "copyOut", "stream", "pipeline"})
  void statementTimeoutBoundsAnOperationTheServerNeverAnswers(String kind) {
    // The server reads the operation and then goes silent: the CancelRequest connection is
    // never even accepted. After the grace period the session gives up on it.
    try (ScriptedServer server = new ScriptedServer().expectStartup().send(loginOk()).expectMessage().silent()
        .start()) {
      CallbackLog log = new CallbackLog();
      Session session = connect(server, log, SHORT_GRACE);
      AnyReceiver op = new AnyReceiver();
      start(session, kind, op);
      CallbackLog.Receiver queued = log.receiver("queued");
      session.execute(new SimpleQuery("SELECT 2"), queued);
      log.awaitShutdown();
      assertNothingAfterShutdown(session, log);

      assertThat(op.failures).as("first failure of the timed operation").isNotEmpty();
      assertThat(op.failures.get(0)).isEqualTo(new ClientQueryError.StatementTimedOut(TIMEOUT));
      if (kind.equals("pipeline")) {
        assertThat(op.failures).containsExactly(new ClientQueryError.StatementTimedOut(TIMEOUT),
            new ClientQueryError.SessionClosed());
        assertThat(op.completions.get()).isEqualTo(1);
      } else {
        assertThat(op.terminal.get()).isEqualTo(1);
      }
      assertThat(queued.failures).containsExactly(new ClientQueryError.SessionClosed());
      assertThat(log.failures).as("not a connection failure").isEmpty();
      server.awaitClientClosed(WAIT);
    }
  }

  @Test
  void withPipeliningTheGracePeriodFailsTheTimedOperationAndClosesTheOnesBehindIt() {
    try (ScriptedServer server = new ScriptedServer().expectStartup().send(loginOk()).expectMessage().silent()
        .start()) {
      CallbackLog log = new CallbackLog();
      Session session = connect(server, log, SHORT_GRACE.withPipelining(true));
      CallbackLog.Receiver timed = log.receiver("timed");
      CallbackLog.Receiver behind1 = log.receiver("behind1");
      CallbackLog.Receiver behind2 = log.receiver("behind2");
      session.execute(new SimpleQuery("SELECT pg_sleep(60)"), timed, TIMEOUT);
      session.execute(PreparedQuery.of("SELECT $1::int4", 1), behind1);
      session.execute(PreparedQuery.of("SELECT $1::int4", 2), behind2);
      log.awaitShutdown();
      assertNothingAfterShutdown(session, log);
      assertThat(timed.failures).containsExactly(new ClientQueryError.StatementTimedOut(TIMEOUT));
      assertThat(behind1.failures).containsExactly(new ClientQueryError.SessionClosed());
      assertThat(behind2.failures).containsExactly(new ClientQueryError.SessionClosed());
      assertThat(log.log).containsSubsequence("timed:failed:StatementTimedOut", "behind1:failed:SessionClosed",
          "behind2:failed:SessionClosed", "shutdown");
    }
  }

  @Test
  void closeStatementOnASilentServerDoesNotHoldTheQueueForever() {
    // closeStatement has no receiver and no timeout of its own: the grace period bounds it.
    try (ScriptedServer server = new ScriptedServer().expectStartup().send(loginOk()).expectMessage('C').silent()
        .start()) {
      CallbackLog log = new CallbackLog();
      Session session = connect(server, log, SHORT_GRACE);
      session.closeStatement("st");
      CallbackLog.Receiver queued = log.receiver("queued");
      session.execute(new SimpleQuery("SELECT 2"), queued, TIMEOUT);
      log.awaitShutdown();
      assertNothingAfterShutdown(session, log);
      assertThat(queued.failures).containsExactly(new ClientQueryError.SessionClosed());
      server.awaitClientClosed(WAIT);
    }
  }

  @Test
  void closeReleasesTheSocketWhenTheServerStopsReading() {
    // COPY IN data flows until the server's receive window and the client's send buffer are
    // full; then close(): Terminate can never be flushed, yet the socket must go.
    CountDownLatch closed = new CountDownLatch(1);
    AtomicBoolean socketGone = new AtomicBoolean();
    byte[] copyInResponse = message('G', new byte[] {0, 0, 1, 0, 0});
    try (ScriptedServer server = new ScriptedServer()
        .expectStartup()
        .send(loginOk())
        .expectMessage('Q')
        .send(copyInResponse)
        .holdUntil(closed)
        .step(c -> probeUntilGone(c, socketGone))
        .start()) {
      CallbackLog log = new CallbackLog();
      Session session = connect(server, log, SessionOptions.defaults());
      AtomicInteger readyCalls = new AtomicInteger();
      AtomicLong lastReady = new AtomicLong(System.nanoTime());
      byte[] chunk = new byte[64 * 1024];
      session.copyIn("COPY t FROM STDIN", new AnyReceiver() {
        @Override
        public void pgCopyReady(Session s) {
          readyCalls.incrementAndGet();
          lastReady.set(System.nanoTime());
          s.sendCopyData(chunk);
        }
      });
      // pgCopyReady comes only while the channel is writable: once it stops, the buffers are full.
      Await.until("COPY data stalls", WAIT, () -> readyCalls.get() > 4
          && System.nanoTime() - lastReady.get() > TimeUnit.SECONDS.toNanos(1));
      session.close();
      log.awaitShutdown();
      closed.countDown();
      server.awaitScript(WAIT);
      assertThat(socketGone).as("the client released the socket").isTrue();
    }
  }

  /** Writes without ever reading until a write fails: the client closed or aborted the socket. */
  private static void probeUntilGone(ScriptedServer.Connection c, AtomicBoolean gone) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    byte[] probe = parameterStatus("probe", "1");
    while (System.nanoTime() < deadline) {
      try {
        c.write(probe);
        Thread.sleep(20);
      } catch (IOException e) {
        gone.set(true);
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Test
  void fatalOnAnIdleSessionEndsItAtOnce() {
    // The server keeps the socket open after FATAL: the session must not wait for it.
    try (ScriptedServer server = new ScriptedServer()
        .expectStartup()
        .send(loginOk())
        .send(errorResponse("FATAL", "57P01", "terminating connection due to administrator command"))
        .silent()
        .start()) {
      CallbackLog log = new CallbackLog();
      Session session = Session.connect(trusting(server), login(), log);
      log.awaitShutdown();
      assertNothingAfterShutdown(session, log);
      assertThat(log.log).containsExactly("connected", "authenticated", "status:IDLE", "terminated:57P01",
          "shutdown", "after-shutdown:failed:SessionClosed");
      assertThat(log.failures).isEmpty();
      server.awaitClientClosed(WAIT);
    }
  }

  @Test
  void fatalDuringAQueryFailsItWithTheErrorAndClosesTheQueued() {
    CountDownLatch queuedSent = new CountDownLatch(1);
    try (ScriptedServer server = new ScriptedServer()
        .expectStartup()
        .send(loginOk())
        .expectMessage('Q')
        .holdUntil(queuedSent)
        .send(errorResponse("FATAL", "25P03", "terminating connection due to idle-in-transaction timeout"))
        .silent()
        .start()) {
      CallbackLog log = new CallbackLog();
      Session session = connect(server, log, SessionOptions.defaults());
      CallbackLog.Receiver q1 = log.receiver("q1");
      CallbackLog.Receiver q2 = log.receiver("q2");
      session.execute(new SimpleQuery("SELECT 1"), q1);
      session.execute(new SimpleQuery("SELECT 2"), q2);
      queuedSent.countDown();
      log.awaitShutdown();
      assertNothingAfterShutdown(session, log);
      assertThat(q1.failures).singleElement().isInstanceOfSatisfying(ErrorResponseMessage.class,
          e -> assertThat(e.code()).isEqualTo("25P03"));
      assertThat(q2.failures).containsExactly(new ClientQueryError.SessionClosed());
      assertThat(log.log).containsSubsequence("q1:failed:ErrorResponseMessage", "terminated:25P03",
          "q2:failed:SessionClosed", "shutdown");
      server.awaitClientClosed(WAIT);
    }
  }

  @Test
  void aCancelConnectionTheServerNeverClosesDoesNotHoldTheQueue() {
    // Before the fix the queue waited 10 s for the server to close the cancel connection.
    AtomicLong cancelReadAt = new AtomicLong();
    AtomicLong nextQueryAt = new AtomicLong();
    try (ScriptedServer server = new ScriptedServer()
        .expectStartup()
        .send(loginOk())
        .expectMessage('Q')
        .acceptCancelAndKeepItOpen()
        .step(c -> cancelReadAt.set(System.nanoTime()))
        .send(errorResponse("ERROR", "57014", "canceling statement due to user request"), readyForQuery('I'))
        .expectMessage('Q')
        .step(c -> nextQueryAt.set(System.nanoTime()))
        .send(commandComplete("SELECT 0"), readyForQuery('I'))
        .start()) {
      CallbackLog log = new CallbackLog();
      Session session = connect(server, log, SessionOptions.defaults());
      CallbackLog.Receiver q1 = log.receiver("q1");
      CallbackLog.Receiver q2 = log.receiver("q2");
      session.execute(new SimpleQuery("SELECT pg_sleep(60)"), q1, TIMEOUT);
      session.execute(new SimpleQuery("SELECT 2"), q2);
      Await.until("second query answered; log " + log.log, WAIT, q2::done);
      server.awaitScript(WAIT);
      assertThat(server.received()).filteredOn(r -> r.type() == 0 && r.protocolCode() == 80877102)
          .as("one CancelRequest").hasSize(1);
      Duration held = Duration.ofNanos(nextQueryAt.get() - cancelReadAt.get());
      assertThat(held).as("queue held by the cancel connection").isLessThan(Duration.ofSeconds(6));
      session.close();
      log.awaitShutdown();
    }
  }
}
