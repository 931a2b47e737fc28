package org.pgsession.internal.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pgsession.AuthRequirement;
import org.pgsession.ClientQueryError;
import org.pgsession.DatabaseConnectInfo;
import org.pgsession.PreparedQuery;
import org.pgsession.ProtocolViolation;
import org.pgsession.ServerConnectInfo;
import org.pgsession.SessionOptions;
import org.pgsession.SimpleQuery;
import org.pgsession.TransactionStatus;
import org.pgsession.internal.protocol.BackendMessage;
import org.pgsession.it.Await;
import org.pgsession.scripted.CallbackLog;
import org.pgsession.types.CodecRegistry;

/**
 * The session state machine driven message by message over a {@link FakeTransport}: no
 * socket, no server, every step on one event loop and awaited, so the order of events is exact.
 */
class SessionMachineFakeTransportTest {
  private EventLoop loop;
  private FakeTransport transport;
  private CallbackLog log;
  private SessionMachine machine;

  @BeforeEach
  void setUp() {
    loop = new DefaultEventLoop();
    transport = new FakeTransport(loop);
    log = new CallbackLog();
  }

  private void logIn(SessionOptions options) throws Exception {
    machine = new SessionMachine(null, ServerConnectInfo.of("fake", 5432).withAuthRequirement(AuthRequirement.ALLOW_ANY),
        new DatabaseConnectInfo("alice", "pw", "db"), log, CodecRegistry.defaults(), options, loop);
    onLoop(() -> {
      machine.onTcpConnected(transport);
      machine.onSecured();
      machine.onMessage(new BackendMessage.AuthenticationOk());
      machine.onMessage(new BackendMessage.BackendKeyData(7, new byte[4]));
      machine.onMessage(new BackendMessage.ReadyForQuery(TransactionStatus.IDLE));
    });
    assertThat(log.log).containsExactly("connected", "authenticated", "status:IDLE");
    assertThat(transport.sentTypes()).containsExactly((char) 0);
  }

  @AfterEach
  void stop() {
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  /** Runs on the loop and waits, so everything posted before has run too. */
  private void onLoop(Runnable task) throws Exception {
    loop.submit(task).get(10, TimeUnit.SECONDS);
  }

  private void receive(BackendMessage... messages) throws Exception {
    onLoop(() -> {
      for (BackendMessage m : messages) {
        machine.onMessage(m);
      }
    });
  }

  @Test
  void anExceptionFromStartFailsThatOperationAndTheNextOneRuns() throws Exception {
    logIn(SessionOptions.defaults());
    transport.limitBuffers(64); // the Parse message cannot be written: IndexOutOfBoundsException
    CallbackLog.Receiver big = log.receiver("big");
    machine.execute(PreparedQuery.of("SELECT '" + "x".repeat(200) + "'"), big, null);
    onLoop(() -> transport.limitBuffers(Integer.MAX_VALUE));
    CallbackLog.Receiver next = log.receiver("next");
    machine.execute(new SimpleQuery("BEGIN"), next, null);
    onLoop(() -> { });

    assertThat(big.failures).singleElement().isInstanceOf(ClientQueryError.DataError.class);
    assertThat(transport.sentTypes()).as("nothing of the failed op, then the next query")
        .containsExactly((char) 0, 'Q');
    receive(new BackendMessage.CommandComplete("BEGIN"), new BackendMessage.ReadyForQuery(TransactionStatus.IN_BLOCK));
    assertThat(next.results).hasSize(1);
    assertThat(log.log).endsWith("big:failed:DataError", "next:result", "status:IN_BLOCK");
    assertThat(log.isShutdown()).isFalse();
  }

  @Test
  void copyDataOutsideACopyIsAProtocolViolation() throws Exception {
    logIn(SessionOptions.defaults());
    CallbackLog.Receiver q = log.receiver("q");
    CallbackLog.Receiver queued = log.receiver("queued");
    machine.execute(PreparedQuery.of("SELECT 1 WHERE false"), q, null);
    machine.execute(new SimpleQuery("SELECT 2"), queued, null);
    receive(new BackendMessage.ParseComplete(), new BackendMessage.ParameterDescription(new int[0]),
        new BackendMessage.NoData(), new BackendMessage.ParseComplete(), new BackendMessage.BindComplete(),
        new BackendMessage.CopyData(new byte[] {1, 2}));
    assertThat(q.failures).singleElement().isInstanceOf(ProtocolViolation.class);
    assertThat(queued.failures).containsExactly(new ClientQueryError.SessionClosed());
    assertThat(log.isShutdown()).isTrue();
    assertThat(transport.closed()).isTrue();
  }

  @Test
  void copyDataOfARefusedCopyOutIsSkippedAndTheSessionGoesOn() throws Exception {
    logIn(SessionOptions.defaults());
    CallbackLog.Receiver q = log.receiver("q");
    machine.execute(PreparedQuery.of("COPY (SELECT 1) TO STDOUT"), q, null);
    receive(new BackendMessage.ParseComplete(), new BackendMessage.ParameterDescription(new int[0]),
        new BackendMessage.NoData(), new BackendMessage.ParseComplete(), new BackendMessage.BindComplete(),
        new BackendMessage.CopyOutResponse(0, new short[] {0}), new BackendMessage.CopyData(new byte[] {'1', '\n'}),
        new BackendMessage.CopyDone(), new BackendMessage.CommandComplete("COPY 1"),
        new BackendMessage.ReadyForQuery(TransactionStatus.IDLE));
    assertThat(q.failures).singleElement().isInstanceOf(ClientQueryError.DataError.class);
    assertThat(log.isShutdown()).isFalse();
    receive(new BackendMessage.CopyDone()); // outside the copy now: a violation
    assertThat(log.isShutdown()).isTrue();
  }

  @Test
  void withoutOsKeepaliveAnIdleSilentSessionProbesAndClosesWhenNoAnswerComes() throws Exception {
    transport.osChecksLiveness(false);
    Duration idle = Duration.ofMillis(200);
    logIn(SessionOptions.defaults().withKeepAlive(idle).withCancelGracePeriod(Duration.ofMillis(200)));
    Await.until("an empty probe query", Duration.ofSeconds(30), () -> transport.queries().contains(""));
    receive(new BackendMessage.EmptyQueryResponse(), new BackendMessage.ReadyForQuery(TransactionStatus.IDLE));
    assertThat(log.isShutdown()).as("an answered probe keeps the session").isFalse();
    // Now the server goes silent: the next probe is never answered.
    Await.until("shutdown after an unanswered probe; log " + log.log, Duration.ofSeconds(30), log::isShutdown);
    assertThat(transport.queries()).hasSizeGreaterThanOrEqualTo(2).allMatch(String::isEmpty);
    assertThat(transport.closed()).isTrue();
  }
}
