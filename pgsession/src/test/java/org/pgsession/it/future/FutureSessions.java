package org.pgsession.it.future;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
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

  /** @return the future's value, failing the test after a generous deadline */
  static <T> T await(CompletableFuture<T> f) {
    try {
      return f.get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new CompletionException(e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("future did not complete within 60 s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    }
  }

  /** @return the failure of a future that must fail */
  static Throwable failure(CompletableFuture<?> f) {
    try {
      await(f);
    } catch (CompletionException e) {
      return e.getCause();
    }
    throw new AssertionError("the future succeeded");
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
