package org.pgsession.scripted;

import org.pgsession.chaos.FrontendMessage;

import org.pgsession.chaos.BackendMessages;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.pgsession.ClientQueryError;
import org.pgsession.ConnectionFailureReason;
import org.pgsession.DatabaseConnectInfo;
import org.pgsession.ServerConnectInfo;
import org.pgsession.Session;
import org.pgsession.SimpleQuery;
import org.pgsession.it.Await;

/**
 * Shared pieces of the scripted-server tests: connection settings for a {@link ScriptedServer},
 * SCRAM script steps, and the end-of-session assertions (one terminal event, then exactly one
 * {@code pgSessionShutdown}, then nothing, all on one thread).
 */
final class Scripts {
  /** User name sent by the tests. */
  static final String USER = "alice";
  /** Password the tests log in with. */
  static final String PASSWORD = "s3cret";
  /** Generous deadline for a loaded 2-core machine. */
  static final Duration WAIT = Duration.ofSeconds(30);

  private Scripts() {}

  /** @param server the fake server @return plaintext settings to reach it (REQUIRE_SCRAM) */
  static ServerConnectInfo to(ScriptedServer server) {
    return ServerConnectInfo.of("127.0.0.1", server.port());
  }

  /**
   * @param server the fake server
   * @return plaintext settings with {@code ALLOW_ANY}, so a scripted "trust" login (a bare
   *     AuthenticationOk) is accepted
   */
  static ServerConnectInfo trusting(ScriptedServer server) {
    return to(server).withAuthRequirement(org.pgsession.AuthRequirement.ALLOW_ANY);
  }

  /** @return the test login */
  static DatabaseConnectInfo login() {
    return new DatabaseConnectInfo(USER, PASSWORD, "appdb");
  }

  /**
   * Script step: reads the SASLInitialResponse, stores the client nonce, answers with a
   * server-first message that extends it.
   *
   * @param clientNonce receives the nonce the client chose
   * @param serverFirst receives the server-first message sent
   * @param iterations the {@code i=} attribute to send
   * @return the step
   */
  static ScriptedServer.Step scramServerFirst(AtomicReference<String> clientNonce,
      AtomicReference<String> serverFirst, String iterations) {
    return c -> {
      FrontendMessage initial = c.readMessage();
      if (initial.type() != 'p' || !"SCRAM-SHA-256".equals(initial.saslMechanism())) {
        throw new java.io.IOException("expected SASLInitialResponse for SCRAM-SHA-256, got " + initial);
      }
      String clientFirst = initial.saslInitialData(); // n,,n=...,r=<nonce>
      String nonce = clientFirst.substring(clientFirst.indexOf(",r=") + 3);
      clientNonce.set(nonce);
      String salt = java.util.Base64.getEncoder().encodeToString("pepper-salt".getBytes(StandardCharsets.UTF_8));
      String first = "r=" + nonce + "xyz,s=" + salt + ",i=" + iterations;
      serverFirst.set(first);
      c.write(BackendMessages.saslContinue(first));
    };
  }

  /**
   * Waits for the session to end with a connection failure and checks the whole sequence:
   * exactly one {@code pgSessionConnectionFailed} with this reason type, followed (after any
   * failures of operations) by exactly one {@code pgSessionShutdown}, and no callback after it
   * (proved by a follow-up operation whose {@code SessionClosed} arrives last), all on one thread.
   *
   * @param session the session
   * @param log its callbacks
   * @param type the expected reason type
   * @param <T> that type
   * @return the reason
   */
  static <T extends ConnectionFailureReason> T assertConnectionFailed(Session session, CallbackLog log,
      Class<T> type) {
    log.awaitShutdown();
    assertNothingAfterShutdown(session, log);
    List<String> entries = log.log;
    assertThat(log.failures).as("connection failures in %s", entries).hasSize(1);
    assertThat(log.failures.get(0)).as("reason in %s", entries).isInstanceOf(type);
    int failedAt = entries.indexOf("failed:" + type.getSimpleName());
    int shutdownAt = entries.indexOf("shutdown");
    assertThat(failedAt).as("failed before shutdown in %s", entries).isBetween(0, shutdownAt - 1);
    assertThat(entries.subList(failedAt + 1, shutdownAt))
        .as("only operation failures between failed and shutdown in %s", entries)
        .allMatch(e -> e.contains(":failed:"));
    return type.cast(log.failures.get(0));
  }

  /**
   * After {@code pgSessionShutdown}: a follow-up operation must fail with SessionClosed, and
   * its callback must be the only one after the shutdown. The session's callbacks run in
   * order on one event loop, so any duplicate already queued would have come before it.
   * Also checks: exactly one shutdown, every callback on the same thread.
   *
   * @param session the session, already shut down
   * @param log its callbacks
   */
  static void assertNothingAfterShutdown(Session session, CallbackLog log) {
    log.awaitShutdown();
    CallbackLog.Receiver barrier = log.receiver("after-shutdown");
    session.execute(new SimpleQuery("SELECT 1"), barrier);
    Await.until("follow-up operation fails", WAIT, barrier::done);
    assertThat(barrier.failures).containsExactly(new ClientQueryError.SessionClosed());
    List<String> entries = log.log;
    assertThat(log.shutdownCount()).as("shutdowns in %s", entries).isEqualTo(1);
    int shutdownAt = entries.indexOf("shutdown");
    assertThat(entries.subList(shutdownAt + 1, entries.size()))
        .as("callbacks after shutdown in %s", entries)
        .containsExactly("after-shutdown:failed:SessionClosed");
    assertThat(log.callbackThreads).as("callback threads").hasSize(1);
  }
}
