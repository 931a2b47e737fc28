package org.pgsession.internal.session;

import org.pgsession.ClientQueryError;
import org.pgsession.ErrorResponseMessage;
import org.pgsession.ObservedOperation;
import org.pgsession.OperationKind;
import org.pgsession.QueryFailure;
import org.pgsession.SessionObserver;
import org.pgsession.internal.jfr.CopyEvent;
import org.pgsession.internal.jfr.Jfr;
import org.pgsession.internal.jfr.OperationEvent;
import org.pgsession.internal.jfr.QueryEvent;
import org.pgsession.internal.protocol.BackendMessage;

/**
 * The observation of one operation: the user's {@link SessionObserver} and the JFR event, from
 * submission to the end. Exists only when an observer is set or a recording wants the events;
 * otherwise the operation carries null and the session pays one field check per message.
 */
final class Observation {
  private static final System.Logger LOG = System.getLogger("org.pgsession");

  private final SessionObserver observer;
  private final ObservedOperation operation;
  private final Object context;
  private final long startNanos;
  /** The JFR event when a recording wants it, else null. */
  private final OperationEvent event;
  private long rows;
  /** The first ErrorResponse seen (a pipeline's statements fail one by one). */
  private ErrorResponseMessage firstError;

  private Observation(SessionObserver observer, ObservedOperation operation) {
    this.observer = observer;
    this.operation = operation;
    this.event = jfrEvent(operation.kind());
    if (event != null) {
      event.begin();
    }
    this.startNanos = System.nanoTime();
    this.context = observer == null ? null : started(observer, operation);
  }

  /**
   * @param observer the session's observer, or null
   * @return whether an operation submitted now is observed (checked before building its
   *     {@link ObservedOperation}, so nothing is allocated when nobody observes)
   */
  static boolean wanted(SessionObserver observer) {
    return observer != null || Jfr.operations();
  }

  /**
   * @param observer the session's observer, or null
   * @param operation what is submitted
   * @return its observation, started now
   */
  static Observation begin(SessionObserver observer, ObservedOperation operation) {
    return new Observation(observer, operation);
  }

  /**
   * @param what a Query, an SQL string, or a list of queries
   * @param preparedSql the SQL of statements prepared in the session, by name
   * @return its SQL text; statements of a list joined with {@code ";\n"}
   */
  static String sqlOf(Object what, java.util.Map<String, String> preparedSql) {
    if (what instanceof String sql) {
      return sql;
    } else if (what instanceof org.pgsession.SimpleQuery q) {
      return q.sql();
    } else if (what instanceof org.pgsession.PreparedQuery q) {
      return q.sql();
    } else if (what instanceof org.pgsession.NamedPreparedQuery q) {
      return preparedSql.getOrDefault(q.name(), q.name());
    }
    java.util.StringJoiner joined = new java.util.StringJoiner(";\n");
    for (Object q : (java.util.List<?>) what) {
      joined.add(sqlOf(q, preparedSql));
    }
    return joined.toString();
  }

  private static Object started(SessionObserver observer, ObservedOperation operation) {
    try {
      return observer.operationStarted(operation);
    } catch (RuntimeException | LinkageError e) {
      LOG.log(System.Logger.Level.WARNING, "pgsession: SessionObserver.operationStarted threw; ignored", e);
      return null;
    }
  }

  /** @param message a backend message answering the operation (rows and errors are counted) */
  void saw(BackendMessage message) {
    if (message instanceof BackendMessage.CommandComplete cc) {
      rows += CommandTag.parse(cc.tag()).rows();
    } else if (message instanceof BackendMessage.ErrorResponse err && firstError == null) {
      firstError = err.error();
    }
  }

  /** @param failure why the operation failed, or null when it succeeded */
  void end(QueryFailure failure) {
    long took = System.nanoTime() - startNanos;
    QueryFailure reported = failure != null ? failure : firstError;
    if (event != null) {
      event.end();
      if (event.shouldCommit()) {
        event.sql = Jfr.truncate(operation.sql());
        event.rows = rows;
        event.sqlState = sqlState(reported);
        event.clientError = clientError(reported);
        event.server = operation.server().host() + ":" + operation.server().port();
        event.database = operation.database().database();
        event.commit();
      }
    }
    if (observer != null) {
      try {
        observer.operationFinished(operation, context, rows, took, reported);
      } catch (RuntimeException | LinkageError e) {
        LOG.log(System.Logger.Level.WARNING, "pgsession: SessionObserver.operationFinished threw; ignored", e);
      }
    }
  }

  /** @return an org.pgsession.Copy or org.pgsession.Query event if recorded, else null */
  private static OperationEvent jfrEvent(OperationKind kind) {
    if (kind == OperationKind.COPY_IN || kind == OperationKind.COPY_OUT) {
      if (!Jfr.copy()) {
        return null;
      }
      CopyEvent copy = new CopyEvent();
      copy.direction = kind == OperationKind.COPY_IN ? "IN" : "OUT";
      return copy;
    }
    if (!Jfr.query()) {
      return null;
    }
    QueryEvent query = new QueryEvent();
    query.kind = kind.name();
    return query;
  }

  private static String sqlState(QueryFailure f) {
    return f instanceof ErrorResponseMessage e ? e.code() : null;
  }

  private static String clientError(QueryFailure f) {
    return f instanceof ClientQueryError c ? c.getClass().getSimpleName() : null;
  }
}
