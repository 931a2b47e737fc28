package org.pgsession.scripted;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.pgsession.ConnectionFailureReason;
import org.pgsession.NoticeResponseMessage;
import org.pgsession.Notification;
import org.pgsession.ParameterStatus;
import org.pgsession.Query;
import org.pgsession.QueryFailure;
import org.pgsession.Result;
import org.pgsession.Session;
import org.pgsession.TransactionStatus;
import org.pgsession.it.Await;
import org.pgsession.it.NotifyRecorder;
import org.pgsession.it.ResultRecorder;

/**
 * One ordered log of every callback of one session, lifecycle events and operation receivers
 * alike, with the thread each ran on.
 *
 * <p>Entries are short strings: {@code connected}, {@code failed:<Reason>},
 * {@code authenticated}, {@code status:<TransactionStatus>}, {@code terminated:<SQLSTATE>},
 * {@code shutdown}, and for a
 * receiver named {@code q}: {@code q:result} or {@code q:failed:<Failure>}. The
 * {@link NotifyRecorder} lists (failures, statuses, ...) are filled as well.
 */
public final class CallbackLog extends NotifyRecorder {
  /** Every callback, in the order they ran. */
  public final List<String> log = new CopyOnWriteArrayList<>();
  /** Every thread a callback ran on. */
  public final Set<Thread> callbackThreads = ConcurrentHashMap.newKeySet();

  private void record(String entry) {
    callbackThreads.add(Thread.currentThread());
    log.add(entry);
  }

  @Override
  public void pgSessionConnected(Session s) {
    record("connected");
    super.pgSessionConnected(s);
  }

  @Override
  public void pgSessionConnectionFailed(Session s, ConnectionFailureReason r) {
    record("failed:" + r.getClass().getSimpleName());
    super.pgSessionConnectionFailed(s, r);
  }

  @Override
  public void pgSessionAuthenticated(Session s) {
    record("authenticated");
    super.pgSessionAuthenticated(s);
  }

  @Override
  public void pgTransactionStatus(Session s, TransactionStatus st) {
    record("status:" + st);
    super.pgTransactionStatus(s, st);
  }

  @Override
  public void pgNotification(Session s, Notification n) {
    record("notification");
    super.pgNotification(s, n);
  }

  @Override
  public void pgNotice(Session s, NoticeResponseMessage n) {
    record("notice");
    super.pgNotice(s, n);
  }

  @Override
  public void pgParameterStatus(Session s, ParameterStatus p) {
    callbackThreads.add(Thread.currentThread()); // too chatty for the log
    super.pgParameterStatus(s, p);
  }

  @Override
  public void pgSessionTerminated(Session s, org.pgsession.ErrorResponseMessage error) {
    record("terminated:" + error.code());
  }

  @Override
  public void pgSessionShutdown(Session s) {
    record("shutdown");
    super.pgSessionShutdown(s);
  }

  /**
   * @param name the receiver's name in the log
   * @return a receiver whose callbacks go to this log
   */
  public Receiver receiver(String name) {
    return new Receiver(name);
  }

  /** @param entry a log entry @return how often it occurs */
  public long count(String entry) {
    return log.stream().filter(entry::equals).count();
  }

  /** Waits for {@code pgSessionShutdown}. @return this */
  public CallbackLog awaitShutdown() {
    Await.until("pgSessionShutdown; log so far " + log, this::isShutdown);
    return this;
  }

  /** A {@link ResultRecorder} that also writes to the session's log. */
  public class Receiver extends ResultRecorder {
    private final String name;

    /** @param name the receiver's name in the log */
    protected Receiver(String name) {
      this.name = name;
    }

    /** @return the name used in the log */
    public String name() {
      return name;
    }

    @Override
    public void pgQueryResult(Session session, Result result) {
      record(name + ":result");
      super.pgQueryResult(session, result);
    }

    @Override
    public void pgQueryFailed(Session session, Query query, QueryFailure failure) {
      record(name + ":failed:" + failure.getClass().getSimpleName());
      super.pgQueryFailed(session, query, failure);
    }

    /** @return whether the terminal callback arrived (a failure, or at least one result) */
    public boolean done() {
      return callbacks.get() > 0;
    }
  }
}
