package org.pgsession.it;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.pgsession.ConnectionFailureReason;
import org.pgsession.NoticeResponseMessage;
import org.pgsession.Notification;
import org.pgsession.ParameterStatus;
import org.pgsession.Session;
import org.pgsession.SessionStatusNotify;
import org.pgsession.TransactionStatus;

/** Records every lifecycle event of a session, in order. */
public class NotifyRecorder implements SessionStatusNotify {
  /** Every event as a short string, in order. */
  public final List<String> events = new CopyOnWriteArrayList<>();
  public final List<ConnectionFailureReason> failures = new CopyOnWriteArrayList<>();
  public final List<TransactionStatus> statuses = new CopyOnWriteArrayList<>();
  public final List<Notification> notifications = new CopyOnWriteArrayList<>();
  public final List<NoticeResponseMessage> notices = new CopyOnWriteArrayList<>();
  public final List<ParameterStatus> parameters = new CopyOnWriteArrayList<>();
  public final List<String> threads = new CopyOnWriteArrayList<>();

  @Override
  public void pgSessionConnected(Session s) {
    events.add("connected");
  }

  @Override
  public void pgSessionConnectionFailed(Session s, ConnectionFailureReason r) {
    failures.add(r);
    events.add("failed:" + r.getClass().getSimpleName());
  }

  @Override
  public void pgSessionAuthenticated(Session s) {
    events.add("authenticated");
  }

  @Override
  public void pgTransactionStatus(Session s, TransactionStatus st) {
    statuses.add(st);
  }

  @Override
  public void pgNotification(Session s, Notification n) {
    notifications.add(n);
  }

  @Override
  public void pgNotice(Session s, NoticeResponseMessage n) {
    notices.add(n);
  }

  @Override
  public void pgParameterStatus(Session s, ParameterStatus p) {
    parameters.add(p);
  }

  @Override
  public void pgSessionShutdown(Session s) {
    events.add("shutdown");
    threads.add(Thread.currentThread().getName());
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
}
