package org.pgsession.invariants;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.pgsession.ConnectionFailureReason;
import org.pgsession.CopyInReceiver;
import org.pgsession.CopyOutReceiver;
import org.pgsession.ErrorResponseMessage;
import org.pgsession.ExtendedQuery;
import org.pgsession.PipelineReceiver;
import org.pgsession.PrepareReceiver;
import org.pgsession.Query;
import org.pgsession.QueryFailure;
import org.pgsession.Result;
import org.pgsession.ResultReceiver;
import org.pgsession.Rows;
import org.pgsession.Session;
import org.pgsession.SessionStatusNotify;
import org.pgsession.StreamingResultReceiver;

/**
 * Watches one session: its lifecycle callbacks and every receiver made here. Checks the
 * driver's promises: exactly one terminal callback per receiver and nothing after it, exactly
 * one {@code pgSessionShutdown} and nothing after it, every callback on one thread.
 */
public final class Watch implements SessionStatusNotify {
  private final String name;
  /** Every callback in order: lifecycle events and {@code receiver:event}. */
  public final List<String> log = new CopyOnWriteArrayList<>();
  private final List<Tracked> receivers = new CopyOnWriteArrayList<>();
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
  /** Connection failures reported. */
  public final List<ConnectionFailureReason> failures = new CopyOnWriteArrayList<>();
  /** Notices received. */
  public final List<org.pgsession.NoticeResponseMessage> notices = new CopyOnWriteArrayList<>();
  /** Notifications received. */
  public final List<org.pgsession.Notification> notifications = new CopyOnWriteArrayList<>();
  /** Parameter statuses received. */
  public final List<org.pgsession.ParameterStatus> parameters = new CopyOnWriteArrayList<>();
  private volatile int shutdowns;
  private volatile boolean authenticated;
  private volatile int readies;

  Watch(String name) {
    this.name = name;
  }

  /** One receiver's bookkeeping. */
  public final class Tracked {
    private final String receiver;
    private volatile int terminals;
    private int eventsBeforeShutdown;
    private volatile int results;
    /** Failures this receiver got, in order. */
    public final List<QueryFailure> failed = new CopyOnWriteArrayList<>();

    Tracked(String receiver) {
      this.receiver = receiver;
    }

    synchronized void event(String event, boolean terminal) {
      boolean afterShutdown = shutdowns > 0;
      if (!afterShutdown) {
        eventsBeforeShutdown++;
      } else if (eventsBeforeShutdown > 0 || !(event.endsWith("SessionClosed") || event.equals("complete"))) {
        // an operation called after (or racing with) the shutdown is answered with SessionClosed;
        // anything else after pgSessionShutdown breaks the promise
        problems.add(name + ": " + receiver + ":" + event + " after pgSessionShutdown");
      }
      record(receiver + ":" + event);
      if (terminals > 0) {
        problems.add(receiver + ": " + event + " after its terminal callback");
      }
      if (terminal) {
        terminals++;
      }
    }

    void result() {
      results++;
      event("result", false);
    }

    /** @return whether the terminal callback arrived (an execute's is pgQueryComplete or pgQueryFailed) */
    public boolean done() {
      return terminals > 0;
    }

    /** @return the first failure, or null */
    public QueryFailure failure() {
      return failed.isEmpty() ? null : failed.get(0);
    }

    @Override
    public String toString() {
      return receiver;
    }
  }

  private synchronized void record(String entry) {
    threads.add(Thread.currentThread());
    log.add(entry);
    if (shutdowns > 0 && !entry.equals("shutdown") && entry.indexOf(':') < 0) {
      problems.add(name + ": " + entry + " after pgSessionShutdown"); // lifecycle events; receivers check themselves
    }
  }

  // ---- lifecycle ---------------------------------------------------------------------------

  @Override
  public void pgSessionConnected(Session s) {
    record("connected");
  }

  @Override
  public void pgSessionConnectionFailed(Session s, ConnectionFailureReason r) {
    failures.add(r);
    record("failed:" + r.getClass().getSimpleName());
  }

  @Override
  public void pgSessionAuthenticated(Session s) {
    authenticated = true;
    record("authenticated");
  }

  @Override
  public void pgTransactionStatus(Session s, org.pgsession.TransactionStatus st) {
    readies++;
    threads.add(Thread.currentThread());
  }

  @Override
  public void pgNotice(Session s, org.pgsession.NoticeResponseMessage n) {
    notices.add(n);
    threads.add(Thread.currentThread());
  }

  @Override
  public void pgNotification(Session s, org.pgsession.Notification n) {
    notifications.add(n);
    threads.add(Thread.currentThread());
  }

  @Override
  public void pgParameterStatus(Session s, org.pgsession.ParameterStatus p) {
    parameters.add(p);
    threads.add(Thread.currentThread());
  }

  @Override
  public void pgSessionTerminated(Session s, ErrorResponseMessage error) {
    record("terminated");
  }

  @Override
  public synchronized void pgSessionShutdown(Session s) {
    record("shutdown");
    shutdowns++;
    if (shutdowns > 1) {
      problems.add(name + ": pgSessionShutdown fired " + shutdowns + " times");
    }
  }

  /** @return whether the first ReadyForQuery arrived */
  public boolean ready() {
    return readies > 0;
  }

  /** @return whether authentication finished */
  public boolean authenticated() {
    return authenticated;
  }

  /** @return whether pgSessionShutdown fired */
  public boolean isShutdown() {
    return shutdowns > 0;
  }

  // ---- receivers ---------------------------------------------------------------------------

  private Tracked track(String receiver) {
    Tracked t = new Tracked(receiver);
    receivers.add(t);
    return t;
  }

  /** A watched execute receiver and its bookkeeping. @param receiver it @param tracked its bookkeeping */
  public record Watched<R>(R receiver, Tracked tracked) {}

  /**
   * @param receiver name in the log
   * @return an execute receiver: results, then exactly one {@code pgQueryComplete} or
   *     {@code pgQueryFailed}
   */
  public Watched<ResultReceiver> result(String receiver) {
    Tracked t = track(receiver);
    return new Watched<>(new ResultReceiver() {
      @Override
      public void pgQueryResult(Session session, Result result) {
        t.result();
      }

      @Override
      public void pgQueryFailed(Session session, Query query, QueryFailure failure) {
        t.failed.add(failure);
        t.event("failed:" + failure.getClass().getSimpleName(), true);
      }

      @Override
      public void pgQueryComplete(Session session, Query query) {
        t.event("complete", true);
      }
    }, t);
  }

  /** @param receiver name in the log @return a prepare receiver */
  public Watched<PrepareReceiver> prepare(String receiver) {
    Tracked t = track(receiver);
    return new Watched<>(new PrepareReceiver() {
      @Override
      public void pgStatementPrepared(Session session, String n) {
        t.event("prepared", true);
      }

      @Override
      public void pgPrepareFailed(Session session, String n, QueryFailure failure) {
        t.failed.add(failure);
        t.event("failed:" + failure.getClass().getSimpleName(), true);
      }
    }, t);
  }

  /** @param receiver name in the log @return a stream receiver that asks for more after each batch */
  public Watched<StreamingResultReceiver> stream(String receiver) {
    Tracked t = track(receiver);
    return new Watched<>(new StreamingResultReceiver() {
      @Override
      public void pgStreamBatch(Session session, Rows rows) {
        t.event("batch", false);
        session.fetchMore();
      }

      @Override
      public void pgStreamComplete(Session session) {
        t.event("complete", true);
      }

      @Override
      public void pgStreamFailed(Session session, ExtendedQuery query, QueryFailure failure) {
        t.failed.add(failure);
        t.event("failed:" + failure.getClass().getSimpleName(), true);
      }
    }, t);
  }

  /**
   * @param receiver name in the log
   * @param onReady what to do when the server asks for data (send, finish, ...)
   * @return a COPY IN receiver
   */
  public Watched<CopyInReceiver> copyIn(String receiver, Consumer<Session> onReady) {
    Tracked t = track(receiver);
    return new Watched<>(new CopyInReceiver() {
      @Override
      public void pgCopyReady(Session session) {
        t.event("ready", false);
        onReady.accept(session);
      }

      @Override
      public void pgCopyComplete(Session session, long count) {
        t.event("complete", true);
      }

      @Override
      public void pgCopyFailed(Session session, QueryFailure failure) {
        t.failed.add(failure);
        t.event("failed:" + failure.getClass().getSimpleName(), true);
      }
    }, t);
  }

  /** @param receiver name in the log @return a COPY OUT receiver */
  public Watched<CopyOutReceiver> copyOut(String receiver) {
    Tracked t = track(receiver);
    return new Watched<>(new CopyOutReceiver() {
      @Override
      public void pgCopyData(Session session, byte[] data) {
        threads.add(Thread.currentThread());
        if (t.terminals > 0) {
          problems.add(receiver + ": data after its terminal callback");
        }
      }

      @Override
      public void pgCopyComplete(Session session, long count) {
        t.event("complete", true);
      }

      @Override
      public void pgCopyFailed(Session session, QueryFailure failure) {
        t.failed.add(failure);
        t.event("failed:" + failure.getClass().getSimpleName(), true);
      }
    }, t);
  }

  /**
   * @param receiver name in the log
   * @param size how many queries the pipeline has (each index must be answered exactly once)
   * @return a pipeline receiver
   */
  public Watched<PipelineReceiver> pipeline(String receiver, int size) {
    Tracked t = track(receiver);
    int[] answers = new int[size];
    return new Watched<>(new PipelineReceiver() {
      @Override
      public void pgPipelineResult(Session session, int index, Result result) {
        answer(index);
        t.event("result:" + index, false);
      }

      @Override
      public void pgPipelineFailed(Session session, int index, ExtendedQuery query, QueryFailure failure) {
        answer(index);
        t.failed.add(failure);
        t.event("failed:" + index + ":" + failure.getClass().getSimpleName(), false);
      }

      @Override
      public void pgPipelineComplete(Session session) {
        for (int i = 0; i < size; i++) {
          if (answers[i] != 1) {
            problems.add(receiver + ": index " + i + " answered " + answers[i] + " times");
          }
        }
        t.event("complete", true);
      }

      private void answer(int index) {
        if (index < 0 || index >= size) {
          problems.add(receiver + ": index " + index + " out of range");
        } else {
          answers[index]++;
        }
      }
    }, t);
  }

  // ---- verdict -----------------------------------------------------------------------------

  /** @return whether the session shut down and every receiver got its terminal callback */
  public boolean settled() {
    return isShutdown() && receivers.stream().allMatch(Tracked::done);
  }

  /** @return every broken promise seen so far (empty when all is well) */
  public List<String> violations() {
    List<String> out = new ArrayList<>(problems);
    for (Tracked t : receivers) {
      if (!t.done()) {
        out.add(t + ": no terminal callback");
      } else if (t.terminals > 1) {
        out.add(t + ": " + t.terminals + " terminal callbacks");
      }
    }
    if (shutdowns != 1) {
      out.add(name + ": pgSessionShutdown fired " + shutdowns + " times");
    }
    if (threads.size() > 1) {
      out.add(name + ": callbacks on " + threads.size() + " threads");
    }
    return out;
  }

  @Override
  public String toString() {
    return name + " " + log;
  }
}
