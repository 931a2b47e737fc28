package org.pgsession.internal.future;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.pgsession.Result;
import org.pgsession.ResultSet;
import org.pgsession.Row;
import org.pgsession.Session;
import org.pgsession.SimpleQuery;
import org.pgsession.TargetSessionAttrs;

/**
 * What a freshly opened session's server is, in the terms of libpq's {@code target_session_attrs}:
 * whether it is in hot standby (recovery) and whether its sessions are read-only by default.
 * Taken from the {@code in_hot_standby} and {@code default_transaction_read_only} ParameterStatus
 * when the server reports them (PostgreSQL 14 and later), otherwise asked with one simple query
 * ({@code pg_is_in_recovery()} and {@code transaction_read_only}), as libpq does.
 *
 * @param inRecovery the server is a standby (in hot standby or recovery)
 * @param readOnly a new transaction is read-only by default (standby, or
 *     {@code default_transaction_read_only=on})
 */
public record ServerRole(boolean inRecovery, boolean readOnly) {
  /** Bounds the check query when the server has no connection timeout: a silent server never hangs the open. */
  static final Duration DEFAULT_CHECK_TIMEOUT = Duration.ofSeconds(30);
  static final String QUERY =
      "SELECT pg_catalog.pg_is_in_recovery()::text, pg_catalog.current_setting('transaction_read_only')";

  /**
   * @param target what the session must reach
   * @return whether a server of this role is acceptable for {@code target} ({@code prefer-standby}
   *     is asked as {@code standby}: its fallback pass asks {@code any})
   */
  public boolean satisfies(TargetSessionAttrs target) {
    return switch (target) {
      case ANY -> true;
      case READ_WRITE -> !readOnly;
      case READ_ONLY -> readOnly;
      case PRIMARY -> !inRecovery;
      case STANDBY, PREFER_STANDBY -> inRecovery;
    };
  }

  /** @return how libpq's error would put it, e.g. "the server is in hot standby" */
  public String describe() {
    if (inRecovery) {
      return "in hot standby (read-only)";
    }
    return readOnly ? "a primary, read-only by default (default_transaction_read_only=on)" : "a read-write primary";
  }

  /**
   * Learns the role of the server a ready session is connected to.
   *
   * @param session a ready session
   * @param target what the caller will check: decides whether the reported parameters suffice
   * @param timeout bound on the check query, or null for {@link #DEFAULT_CHECK_TIMEOUT}
   * @return the role; fails when the check query fails or times out
   */
  static CompletableFuture<ServerRole> of(Session session, TargetSessionAttrs target, Duration timeout) {
    String hotStandby = session.parameter("in_hot_standby");
    String defaultReadOnly = session.parameter("default_transaction_read_only");
    boolean needsReadOnly = target == TargetSessionAttrs.READ_WRITE || target == TargetSessionAttrs.READ_ONLY;
    if (hotStandby != null && (!needsReadOnly || defaultReadOnly != null)) {
      boolean standby = "on".equals(hotStandby);
      return CompletableFuture.completedFuture(new ServerRole(standby, standby || "on".equals(defaultReadOnly)));
    }
    return ask(session, timeout != null ? timeout : DEFAULT_CHECK_TIMEOUT);
  }

  /**
   * Asks the server with one simple query, whatever it reported at login (the path for servers
   * and poolers that report neither {@code in_hot_standby} nor {@code default_transaction_read_only}).
   *
   * @param session a ready session
   * @param timeout the query's statement timeout (then cancelled, and the session closed if the
   *     server stays silent)
   * @return the role; fails when the query fails or times out
   */
  public static CompletableFuture<ServerRole> ask(Session session, Duration timeout) {
    ResultFuture<List<Result>> receiver = ResultFuture.all();
    session.execute(new SimpleQuery(QUERY), receiver, timeout);
    return receiver.future().thenApply(ServerRole::fromResults);
  }

  private static ServerRole fromResults(List<Result> results) {
    if (results.size() != 1 || !(results.get(0) instanceof ResultSet rs) || rs.rows().size() != 1) {
      throw new IllegalStateException("unexpected answer to the server role query: " + results);
    }
    Row row = rs.rows().get(0);
    boolean recovery = "true".equals(row.getString(0));
    return new ServerRole(recovery, recovery || "on".equals(row.getString(1)));
  }
}
