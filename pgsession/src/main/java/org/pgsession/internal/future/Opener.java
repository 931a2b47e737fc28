package org.pgsession.internal.future;

import java.util.ArrayList;
import java.util.List;
import org.pgsession.ConnectionFailureReason;
import org.pgsession.DatabaseConnectInfo;
import org.pgsession.PgConnectException;
import org.pgsession.ServerConnectInfo;
import org.pgsession.Session;
import org.pgsession.SessionOptions;
import org.pgsession.SessionStatusNotify;
import org.pgsession.TransactionStatus;
import org.pgsession.types.CodecRegistry;

/**
 * Opens a ready session: connects to each server in order until one reaches its first
 * ReadyForQuery. When every server failed, the future fails with a {@link PgConnectException}
 * carrying the last server's reason and naming every server's.
 */
public final class Opener {
  private final List<ServerConnectInfo> servers;
  private final DatabaseConnectInfo database;
  private final CodecRegistry registry;
  private final SessionOptions options;
  private final org.pgsession.SslMode sslFallback;
  private final LoopFuture<Session> result = new LoopFuture<>();
  private final List<String> failures = new ArrayList<>();

  private Opener(List<ServerConnectInfo> servers, DatabaseConnectInfo database, CodecRegistry registry,
      SessionOptions options, org.pgsession.SslMode sslFallback) {
    this.sslFallback = sslFallback;
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("at least one server is needed");
    }
    this.servers = List.copyOf(servers);
    this.database = database;
    this.registry = registry;
    this.options = options;
  }

  /**
   * @param servers the servers to try, in order
   * @param database who to log in as
   * @param registry codecs
   * @param options session settings
   * @return completes with the first session that became ready
   */
  public static LoopFuture<Session> open(List<ServerConnectInfo> servers, DatabaseConnectInfo database,
      CodecRegistry registry, SessionOptions options) {
    return open(servers, database, registry, options, null);
  }

  /**
   * @param servers the servers to try, in order
   * @param database who to log in as
   * @param registry codecs
   * @param options session settings
   * @param sslFallback libpq's {@code sslmode=allow}: the TLS mode a server is tried with again
   *     when it refuses the plaintext connection; null for none
   * @return completes with the first session that became ready
   */
  public static LoopFuture<Session> open(List<ServerConnectInfo> servers, DatabaseConnectInfo database,
      CodecRegistry registry, SessionOptions options, org.pgsession.SslMode sslFallback) {
    Opener opener = new Opener(servers, database, registry, options, sslFallback);
    opener.attempt(0, opener.servers.get(0));
    return opener.result;
  }

  private void attempt(int index, ServerConnectInfo server) {
    Session.connect(server, database, new Attempt(index, server), registry, options);
  }

  private void failed(int index, ServerConnectInfo server, ConnectionFailureReason reason) {
    failures.add(server.host() + ":" + server.port() + ": " + PgConnectException.describe(reason));
    if (sslFallback != null && server.sslMode() instanceof org.pgsession.SslMode.Disabled && refusedByServer(reason)) {
      attempt(index, server.withSslMode(sslFallback)); // sslmode=allow: the same server, now with TLS
      return;
    }
    if (index + 1 < servers.size()) {
      attempt(index + 1, servers.get(index + 1));
    } else if (servers.size() == 1) {
      result.completeExceptionally(new PgConnectException(reason));
    } else {
      result.completeExceptionally(new PgConnectException(
          "could not connect to any of " + servers.size() + " servers: " + String.join("; ", failures), reason));
    }
  }

  /** @return whether the server answered the startup with an error (not a network failure) */
  private static boolean refusedByServer(ConnectionFailureReason reason) {
    return reason instanceof ConnectionFailureReason.InvalidAuthorizationSpecification
        || reason instanceof ConnectionFailureReason.InvalidPassword
        || reason instanceof ConnectionFailureReason.ServerRejected;
  }

  /** Watches one connection attempt until it is ready or has failed. */
  private final class Attempt implements SessionStatusNotify {
    private final int index;
    private final ServerConnectInfo server;
    private boolean settled;
    private ConnectionFailureReason reason;

    Attempt(int index, ServerConnectInfo server) {
      this.index = index;
      this.server = server;
    }

    @Override
    public void pgTransactionStatus(Session session, TransactionStatus status) {
      if (!settled) { // the first ReadyForQuery: every startup ParameterStatus was seen
        settled = true;
        if (!result.complete(session)) {
          session.close();
        }
      }
    }

    @Override
    public void pgSessionConnectionFailed(Session session, ConnectionFailureReason why) {
      reason = why;
    }

    @Override
    public void pgSessionShutdown(Session session) {
      if (!settled) {
        settled = true;
        failed(index, server, reason != null ? reason : new ConnectionFailureReason.ConnectionClosedByServer());
      }
    }
  }
}
