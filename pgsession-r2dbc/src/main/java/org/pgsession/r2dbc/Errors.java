package org.pgsession.r2dbc;

import io.r2dbc.spi.R2dbcBadGrammarException;
import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcPermissionDeniedException;
import io.r2dbc.spi.R2dbcRollbackException;
import io.r2dbc.spi.R2dbcTimeoutException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.pgsession.ClientQueryError;
import org.pgsession.PgConnectException;
import org.pgsession.PgException;

/** Maps the driver's failures onto the R2DBC exception hierarchy by SQLSTATE class. */
final class Errors {
  private Errors() {}

  /**
   * @param failure what a driver future or callback failed with
   * @param sql the SQL being run, or null
   * @return the R2DBC exception; other throwables (programming errors) are returned unchanged
   */
  static Throwable translate(Throwable failure, String sql) {
    Throwable t = unwrap(failure);
    if (t instanceof R2dbcException) {
      return t;
    }
    if (t instanceof PgConnectException e) {
      String state = e.sqlState();
      if (state != null && (state.startsWith("28") || state.equals("42501"))) {
        return new R2dbcPermissionDeniedException(e.getMessage(), state, 0, sql, e);
      }
      if (state != null && (state.startsWith("53") || state.startsWith("57P"))) {
        return new R2dbcTransientResourceException(e.getMessage(), state, 0, sql, e);
      }
      return new R2dbcNonTransientResourceException(e.getMessage(), state, 0, sql, e);
    }
    if (t instanceof PgException e) {
      String state = e.sqlState();
      if (state == null) {
        return client(e, sql);
      }
      return server(e, state, sql);
    }
    return t;
  }

  /** Removes the wrappers that futures put around a failure. */
  static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static R2dbcException server(PgException e, String state, String sql) {
    String msg = e.getMessage();
    if (state.equals("57014")) {
      return new R2dbcTimeoutException(msg, state, 0, sql, e); // query_canceled (statement_timeout)
    }
    if (state.equals("42501") || state.startsWith("28")) {
      return new R2dbcPermissionDeniedException(msg, state, 0, sql, e);
    }
    switch (state.substring(0, 2)) {
      case "23":
        return new R2dbcDataIntegrityViolationException(msg, state, 0, sql, e);
      case "42":
        return new R2dbcBadGrammarException(msg, state, 0, sql, e);
      case "40":
        return new R2dbcRollbackException(msg, state, 0, sql, e);
      case "08":
        return new R2dbcNonTransientResourceException(msg, state, 0, sql, e);
      case "53": // insufficient resources
      case "55": // lock_not_available and other object states that may clear
      case "57": // operator intervention (admin shutdown, cannot connect now)
        return new R2dbcTransientResourceException(msg, state, 0, sql, e);
      default:
        return new PgsessionR2dbcException(msg, state, sql, e);
    }
  }

  private static R2dbcException client(PgException e, String sql) {
    String msg = e.getMessage();
    if (e.failure() instanceof ClientQueryError.StatementTimedOut) {
      return new R2dbcTimeoutException(msg, null, 0, sql, e);
    }
    if (e.failure() instanceof ClientQueryError.PoolTimedOut) {
      return new R2dbcTransientResourceException(msg, null, 0, sql, e);
    }
    if (e.failure() instanceof ClientQueryError.DataError || e.failure() instanceof ClientQueryError.PipelineAborted
        || e.failure() == null) {
      return new PgsessionR2dbcException(msg, null, sql, e);
    }
    // closed, never opened, not authenticated, protocol violation, pool closed: the connection is gone
    return new R2dbcNonTransientResourceException(msg, null, 0, sql, e);
  }
}
