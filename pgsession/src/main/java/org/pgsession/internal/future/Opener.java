package org.pgsession.internal.future;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.pgsession.ConnectionFailureReason;
import org.pgsession.DatabaseConnectInfo;
import org.pgsession.PgConnectException;
import org.pgsession.ServerConnectInfo;
import org.pgsession.Session;
import org.pgsession.SessionOptions;
import org.pgsession.SessionStatusNotify;
import org.pgsession.TargetSessionAttrs;
import org.pgsession.TransactionStatus;
import org.pgsession.types.CodecRegistry;

/**
 * Opens a ready session: connects to each server in order until one reaches its first
 * ReadyForQuery and is of the kind {@code target_session_attrs} asks for (libpq's meaning: a
 * server of the wrong kind is closed and the next one tried; {@code prefer-standby} first looks
 * for a standby over the whole list, then takes any server). With load balancing the list is
 * shuffled for each open, as libpq's {@code load_balance_hosts=random}. When every server failed,
 * the future fails with a {@link PgConnectException} carrying the last server's reason and naming
 * every server's.
 */
public final class Opener {
  private final List<ServerConnectInfo> servers;
  private final DatabaseConnectInfo database;
  private final CodecRegistry registry;
  private final SessionOptions options;
  private final org.pgsession.SslMode sslFallback;
  private final LoopFuture<Session> result = new LoopFuture<>();
  private final List<String> failures = new ArrayList<>();
  /** What the current pass over the list accepts: prefer-standby's second pass accepts any. */
  private TargetSessionAttrs target;

  private Opener(List<ServerConnectInfo> servers, DatabaseConnectInfo database, CodecRegistry registry,
      SessionOptions options, org.pgsession.SslMode sslFallback, TargetSessionAttrs target, boolean loadBalance) {
    this.sslFallback = sslFallback;
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("at least one server is needed");
    }
    List<ServerConnectInfo> order = new ArrayList<>(servers);
    if (loadBalance) {
      Collections.shuffle(order, ThreadLocalRandom.current());
    }
    this.servers = List.copyOf(order);
    this.target = target;
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
    return open(servers, database, registry, options, sslFallback, TargetSessionAttrs.ANY, false);
  }

  /**
   * @param servers the servers to try, in order (unless {@code loadBalance})
   * @param database who to log in as
   * @param registry codecs
   * @param options session settings
   * @param sslFallback the TLS mode of libpq's {@code sslmode=allow} second attempt; null for none
   * @param target which kind of server the session must reach
   * @param loadBalance whether to try the servers in a random order ({@code load_balance_hosts=random})
   * @return completes with the first session that became ready on a server of the wanted kind
   */
  public static LoopFuture<Session> open(List<ServerConnectInfo> servers, DatabaseConnectInfo database,
      CodecRegistry registry, SessionOptions options, org.pgsession.SslMode sslFallback,
      TargetSessionAttrs target, boolean loadBalance) {
    Opener opener = new Opener(servers, database, registry, options, sslFallback, target, loadBalance);
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
    } else if (target == TargetSessionAttrs.PREFER_STANDBY) {
      target = TargetSessionAttrs.ANY; // libpq: no standby anywhere, so any server will do
      attempt(0, servers.get(0));
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
        if (target == TargetSessionAttrs.ANY) {
          deliver(session);
        } else {
          TargetSessionAttrs wanted = target;
          ServerRole.of(session, wanted, server.connectionTimeout())
              .whenComplete((role, error) -> checked(session, wanted, role, error));
        }
      }
    }

    private void checked(Session session, TargetSessionAttrs wanted, ServerRole role, Throwable error) {
      if (error == null && role.satisfies(wanted)) {
        deliver(session);
        return;
      }
      session.close();
      Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
          ? error.getCause() : error;
      String found = cause != null ? "of an unknown kind (the check failed: " + cause.getMessage() + ")"
          : role.describe();
      failed(index, server, new ConnectionFailureReason.ServerRoleMismatch(wanted, found));
    }

    private void deliver(Session session) {
      if (!result.complete(session)) {
        session.close();
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
