package org.pgsession.it.future;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.pgsession.ServerConnectInfo;
import org.pgsession.Session;
import org.pgsession.it.Await;
import org.pgsession.it.Sessions;

/** Opens sessions through the future API and makes sure every one is shut down at teardown. */
final class FutureSessions implements AutoCloseable {
  private final List<Session> sessions = new CopyOnWriteArrayList<>();

  /** @return a ready superuser session on the plain cluster */
  Session open() {
    Session s = await(Session.open(Sessions.plain(), Sessions.superuser()));
    sessions.add(s);
    return s;
  }

  static <T> T await(CompletableFuture<T> f) {
    return org.pgsession.it.Futures.await(f);
  }

  static Throwable failure(CompletableFuture<?> f) {
    return org.pgsession.it.Futures.failure(f);
  }

  /** @return a loopback port nobody listens on */
  static int closedPort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  /** @return connect info for a port nobody listens on */
  static ServerConnectInfo nowhere() {
    return ServerConnectInfo.of("127.0.0.1", closedPort()).withConnectionTimeout(Duration.ofSeconds(10));
  }

  @Override
  public void close() {
    for (Session s : sessions) {
      await(s.closeAsync());
    }
    Await.until("sessions closed", () -> sessions.stream().noneMatch(Session::isOpen));
  }
}
