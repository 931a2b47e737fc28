package org.pgsession.internal.session;

import org.pgsession.ConnectionFailureReason;
import org.pgsession.DatabaseConnectInfo;
import org.pgsession.ServerConnectInfo;
import org.pgsession.SessionObserver;
import org.pgsession.internal.jfr.CancelEvent;
import org.pgsession.internal.jfr.ConnectEvent;
import org.pgsession.internal.jfr.Jfr;

/**
 * Connect and cancel observation of one session (the {@link SessionObserver} and the JFR
 * events). Connect: from {@link #connectStarted} to the first ReadyForQuery or the failure,
 * reported once.
 */
final class ConnectObservation {
  private static final System.Logger LOG = System.getLogger("org.pgsession");

  private final SessionObserver observer;
  private final ServerConnectInfo server;
  private final DatabaseConnectInfo database;
  private ConnectEvent event;
  private Object context;
  private long startNanos;
  private boolean open;

  /**
   * @param observer the session's observer, or null
   * @param server where to
   * @param database as whom
   */
  ConnectObservation(SessionObserver observer, ServerConnectInfo server, DatabaseConnectInfo database) {
    this.observer = observer;
    this.server = server;
    this.database = database;
  }

  /** The connect starts (on the event loop). */
  void connectStarted() {
    open = true;
    startNanos = System.nanoTime();
    if (Jfr.connect()) {
      event = new ConnectEvent();
      event.begin();
    }
    if (observer != null) {
      try {
        context = observer.connectStarted(server, database);
      } catch (RuntimeException | LinkageError e) {
        LOG.log(System.Logger.Level.WARNING, "pgsession: SessionObserver.connectStarted threw; ignored", e);
      }
    }
  }

  /**
   * The connect ended; only the first call after {@link #connectStarted} reports.
   *
   * @param failure why it failed, or null
   * @param ready whether the session became ready
   */
  void connectFinished(ConnectionFailureReason failure, boolean ready) {
    if (!open) {
      return;
    }
    open = false;
    long took = System.nanoTime() - startNanos;
    ConnectEvent e = event;
    event = null;
    if (e != null) {
      e.end();
      if (e.shouldCommit()) {
        e.server = server.host() + ":" + server.port();
        e.database = database.database();
        e.user = database.user();
        e.ready = ready;
        e.failure = failure == null ? null : failure.toString();
        e.commit();
      }
    }
    if (observer != null) {
      Object c = context;
      context = null;
      try {
        observer.connectFinished(server, database, c, took, failure, ready);
      } catch (RuntimeException | LinkageError t) {
        LOG.log(System.Logger.Level.WARNING, "pgsession: SessionObserver.connectFinished threw; ignored", t);
      }
    }
  }

  /**
   * A CancelRequest is being sent.
   *
   * @param backendPid the backend it targets
   * @return what to run when its connection closed (ends the JFR event), never null
   */
  Runnable cancelSent(int backendPid) {
    if (observer != null) {
      try {
        observer.cancelSent(server);
      } catch (RuntimeException | LinkageError t) {
        LOG.log(System.Logger.Level.WARNING, "pgsession: SessionObserver.cancelSent threw; ignored", t);
      }
    }
    if (!Jfr.cancel()) {
      return NOTHING;
    }
    CancelEvent e = new CancelEvent();
    e.begin();
    return () -> {
      e.end();
      if (e.shouldCommit()) {
        e.server = server.host() + ":" + server.port();
        e.backendPid = backendPid;
        e.commit();
      }
    };
  }

  private static final Runnable NOTHING = () -> { };
}
