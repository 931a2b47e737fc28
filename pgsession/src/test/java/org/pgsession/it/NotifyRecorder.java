package org.pgsession.it;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.pgsession.ConnectionFailureReason;
import org.pgsession.ErrorResponseMessage;
import org.pgsession.NoticeResponseMessage;
import org.pgsession.Notification;
import org.pgsession.ParameterStatus;
import org.pgsession.Session;
import org.pgsession.SessionStatusNotify;
import org.pgsession.TransactionStatus;
import org.pgsession.invariants.Checked;
import org.pgsession.invariants.RecorderCheck;

/**
 * Records every lifecycle event of a session, in order. Checked at the end of the test by
 * {@link RecorderCheck}: exactly one {@code pgSessionShutdown}, no callback after it.
 */
public class NotifyRecorder implements SessionStatusNotify, Checked {
  /** Every event as a short string, in order. */
  public final List<String> events = new CopyOnWriteArrayList<>();
  public final List<ConnectionFailureReason> failures = new CopyOnWriteArrayList<>();
  public final List<TransactionStatus> statuses = new CopyOnWriteArrayList<>();
  public final List<Notification> notifications = new CopyOnWriteArrayList<>();
  public final List<NoticeResponseMessage> notices = new CopyOnWriteArrayList<>();
  public final List<ParameterStatus> parameters = new CopyOnWriteArrayList<>();
  public final List<String> threads = new CopyOnWriteArrayList<>();
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private volatile Session session;
  private volatile boolean shut;

  /** A recorder checked by {@link RecorderCheck} at the end of the test that made it. */
  public NotifyRecorder() {
    RecorderCheck.register(this);
  }

  /** @param s the session this recorder reports for (closed by the check if the test did not) */
  public void attach(Session s) {
    session = s;
  }

  /** Every callback passes here: remembers the session, flags anything after the shutdown. */
  private void saw(Session s, String event) {
    if (session == null) {
      session = s;
    }
    if (shut) {
      problems.add(event + " after pgSessionShutdown; events " + events);
    }
  }

  @Override
  public void pgSessionConnected(Session s) {
    saw(s, "connected");
    events.add("connected");
  }

  @Override
  public void pgSessionConnectionFailed(Session s, ConnectionFailureReason r) {
    saw(s, "failed");
    failures.add(r);
    events.add("failed:" + r.getClass().getSimpleName());
  }

  @Override
  public void pgSessionAuthenticated(Session s) {
    saw(s, "authenticated");
    events.add("authenticated");
  }

  @Override
  public void pgTransactionStatus(Session s, TransactionStatus st) {
    saw(s, "status");
    statuses.add(st);
  }

  @Override
  public void pgNotification(Session s, Notification n) {
    saw(s, "notification");
    notifications.add(n);
  }

  @Override
  public void pgNotice(Session s, NoticeResponseMessage n) {
    saw(s, "notice");
    notices.add(n);
  }

  @Override
  public void pgParameterStatus(Session s, ParameterStatus p) {
    saw(s, "parameter");
    parameters.add(p);
  }

  @Override
  public void pgSessionShutdown(Session s) {
    saw(s, "shutdown");
    shut = true;
    events.add("shutdown");
    threads.add(Thread.currentThread().getName());
  }

  @Override
  public void pgSessionTerminated(Session s, ErrorResponseMessage error) {
    saw(s, "terminated");
  }

  /** @return whether the first ReadyForQuery arrived */
  public boolean ready() {
    return !statuses.isEmpty();
  }

  /** @return whether pgSessionShutdown fired */
  public boolean isShutdown() {
    return events.contains("shutdown");
  }

  /** @return how many times pgSessionShutdown fired */
  public long shutdownCount() {
    return events.stream().filter("shutdown"::equals).count();
  }

  @Override
  public boolean settled() {
    return session == null || isShutdown();
  }

  @Override
  public List<String> violations() {
    List<String> out = new java.util.ArrayList<>(problems);
    if (session != null && shutdownCount() != 1) {
      out.add("pgSessionShutdown fired " + shutdownCount() + " times; events " + events);
    }
    return out;
  }

  @Override
  public Session session() {
    return session;
  }
}
