package org.pgsession.reliability;

import java.time.Duration;
import org.pgsession.PreparedQuery;
import org.pgsession.ResultSet;
import org.pgsession.ServerConnectInfo;
import org.pgsession.Session;
import org.pgsession.SimpleQuery;
import org.pgsession.SslMode;
import org.pgsession.it.Await;
import org.pgsession.it.ResultRecorder;
import org.pgsession.it.Sessions;
import org.pgsession.testkit.PgCluster;

/**
 * A direct (unproxied) superuser session on a test cluster, for what the chaos tests do behind
 * a session's back: find its backend by the proxy's port, terminate it, send NOTIFY.
 */
final class Admin implements AutoCloseable {
  private final Sessions.Open open;

  private Admin(Sessions.Open open) {
    this.open = open;
  }

  /** @param cluster the cluster @return a ready admin session on it */
  static Admin on(PgCluster cluster) {
    ServerConnectInfo server = ServerConnectInfo.of(cluster.host(), cluster.port())
        .withSslMode(SslMode.disabled()).withConnectionTimeout(Duration.ofSeconds(30));
    return new Admin(Sessions.open(server, Sessions.superuser(), new org.pgsession.it.NotifyRecorder()));
  }

  /** @return the underlying session */
  Session session() {
    return open.session();
  }

  /** Runs SQL and waits for its first result. */
  void sql(String sql) {
    ResultRecorder r = new ResultRecorder();
    open.session().execute(new SimpleQuery(sql), r);
    r.awaitResult();
  }

  /**
   * @param clientPort the port the backend's client (the proxy) connected from
   * @param timeout how long to look
   * @return the backend's pid: from pg_stat_activity, or (for a backend still in its SSL
   *     negotiation, which pg_stat_activity does not show yet) from /proc
   */
  int backendByClientPort(int clientPort, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      ResultRecorder r = new ResultRecorder();
      open.session().execute(PreparedQuery.of(
          "SELECT coalesce(max(pid), 0)::int4 FROM pg_stat_activity WHERE client_port = $1", clientPort), r);
      int pid = ((ResultSet) r.awaitResult()).rows().get(0).getInteger(0);
      if (pid == 0) {
        pid = ProcSockets.pidWithPeerPort(clientPort);
      }
      if (pid != 0) {
        return pid;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new AssertionError("no backend with client_port " + clientPort + " within " + timeout);
  }

  /**
   * Terminates a backend and waits until it is gone: pg_terminate_backend, or for a backend not
   * yet in the process array (still in its SSL negotiation, where pg_terminate_backend refuses)
   * the same SIGTERM sent directly.
   *
   * @param pid the backend
   */
  void terminate(int pid) {
    ResultRecorder r = new ResultRecorder();
    open.session().execute(PreparedQuery.of("SELECT pg_terminate_backend($1)", pid), r);
    boolean signalled = Boolean.TRUE.equals(((ResultSet) r.awaitResult()).rows().get(0).get(0));
    var process = ProcessHandle.of(pid);
    if (!signalled) {
      process.ifPresent(ProcessHandle::destroy);
    }
    Await.until("backend " + pid + " gone", () -> process.map(p -> !p.isAlive()).orElse(true));
  }

  @Override
  public void close() {
    open.close();
  }
}
