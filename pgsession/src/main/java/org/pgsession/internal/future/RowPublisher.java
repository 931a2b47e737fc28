package org.pgsession.internal.future;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import org.pgsession.ExtendedQuery;
import org.pgsession.PgException;
import org.pgsession.QueryFailure;
import org.pgsession.Row;
import org.pgsession.Rows;
import org.pgsession.Session;
import org.pgsession.StreamingResultReceiver;
import org.pgsession.internal.session.SessionMachine;

/**
 * {@code Session.stream(query, windowSize)}: a {@link Flow.Publisher} over the windowed stream.
 * The query starts at the first request; the next window is fetched only when every buffered row
 * was delivered and demand is still open, so at most one window is held beyond demand.
 * Cancelling closes the portal. One subscriber; a second one gets {@code onError}.
 *
 * <p>Every signal runs on the session's event loop (requests from other threads are posted
 * there), so the subscriber's methods are never called concurrently.
 */
public final class RowPublisher implements Flow.Publisher<Row> {
  private static final System.Logger LOG = System.getLogger("org.pgsession");

  private final SessionMachine machine;
  private final ExtendedQuery query;
  private final int windowSize;
  private final AtomicBoolean subscribed = new AtomicBoolean();

  /**
   * @param machine the session
   * @param query the query
   * @param windowSize rows per window
   */
  public RowPublisher(SessionMachine machine, ExtendedQuery query, int windowSize) {
    this.machine = machine;
    this.query = query;
    this.windowSize = windowSize;
  }

  @Override
  public void subscribe(Flow.Subscriber<? super Row> subscriber) {
    Objects.requireNonNull(subscriber, "subscriber"); // Reactive Streams §1.9
    if (!subscribed.compareAndSet(false, true)) {
      machine.post(() -> {
        subscriber.onSubscribe(new Flow.Subscription() {
          @Override
          public void request(long n) {}

          @Override
          public void cancel() {}
        });
        subscriber.onError(new IllegalStateException("this stream publisher already has a subscriber;"
            + " call Session.stream again for another"));
      });
      return;
    }
    StreamSubscription subscription = new StreamSubscription(subscriber);
    machine.post(subscription::start);
  }

  /** The one subscription; all fields are used on the event loop only, except {@code cancelled}. */
  private final class StreamSubscription implements Flow.Subscription, StreamingResultReceiver {
    private final Flow.Subscriber<? super Row> subscriber;
    private final ArrayDeque<Row> buffer = new ArrayDeque<>();
    private volatile boolean cancelled;
    private final java.util.concurrent.atomic.AtomicBoolean submitted = new java.util.concurrent.atomic.AtomicBoolean();
    private long demand;
    private boolean started;
    private boolean windowInFlight;
    private boolean streamEnded;
    private boolean finished; // a terminal signal was sent or the subscriber cancelled
    private boolean draining;

    StreamSubscription(Flow.Subscriber<? super Row> subscriber) {
      this.subscriber = subscriber;
    }

    void start() {
      try {
        subscriber.onSubscribe(this);
      } catch (Throwable t) {
        LOG.log(System.Logger.Level.WARNING, "pgsession: onSubscribe threw; subscription cancelled", t);
        finished = true;
      }
    }

    @Override
    public void request(long n) {
      // The stream is queued on the caller's thread at the first positive request, so it keeps
      // its place among the operations this thread calls next (posting first would let a later
      // query overtake it).
      boolean first = n > 0 && submitted.compareAndSet(false, true);
      if (first) {
        machine.stream(query, windowSize, this, null, false); // demand decides: no read-ahead
      }
      machine.post(() -> onRequest(n, first));
    }

    @Override
    public void cancel() {
      cancelled = true;
      machine.post(() -> {
        if (!finished) {
          finished = true;
          endStream();
        }
      });
    }

    private void onRequest(long n, boolean first) {
      if (first && !started) { // (a window that already arrived marked it started)
        started = true;
        windowInFlight = true;
      }
      if (finished) {
        return;
      }
      if (n <= 0) { // §3.9
        finished = true;
        endStream();
        signalError(new IllegalArgumentException("Reactive Streams §3.9: request(" + n + ") must be positive"));
        return;
      }
      demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
      drain();
    }

    /** Closes the server-side stream if it is still running; rows still buffered are dropped. */
    private void endStream() {
      buffer.clear();
      if (started && !streamEnded) {
        machine.closeStream(this);
      }
    }

    private void drain() {
      if (draining) {
        return; // re-entered from a subscriber callback; the outer loop continues
      }
      draining = true;
      try {
        while (!finished && demand > 0 && !buffer.isEmpty()) {
          if (cancelled) {
            return;
          }
          demand--;
          Row row = buffer.poll();
          try {
            subscriber.onNext(row);
          } catch (Throwable t) { // §2.13: treat as cancelled
            LOG.log(System.Logger.Level.WARNING, "pgsession: onNext threw; stream cancelled", t);
            finished = true;
            endStream();
            return;
          }
        }
        if (finished || !buffer.isEmpty()) {
          return;
        }
        if (streamEnded) {
          finished = true;
          try {
            subscriber.onComplete();
          } catch (Throwable t) {
            LOG.log(System.Logger.Level.WARNING, "pgsession: onComplete threw; ignored", t);
          }
        } else if (demand > 0 && started && !windowInFlight) {
          windowInFlight = true;
          machine.fetchMore(this);
        }
      } finally {
        draining = false;
      }
    }

    private void signalError(Throwable error) {
      try {
        subscriber.onError(error);
      } catch (Throwable t) {
        LOG.log(System.Logger.Level.WARNING, "pgsession: onError threw; ignored", t);
      }
    }

    @Override
    public void pgStreamBatch(Session session, Rows rows) {
      started = true;
      windowInFlight = false;
      if (finished) {
        machine.closeStream(this); // cancelled while the stream was queued or a window was in flight
        return;
      }
      for (Row row : rows) {
        buffer.add(row);
      }
      drain();
    }

    @Override
    public void pgStreamComplete(Session session) {
      started = true;
      streamEnded = true;
      windowInFlight = false;
      drain();
    }

    @Override
    public void pgStreamFailed(Session session, ExtendedQuery failedQuery, QueryFailure failure) {
      started = true;
      streamEnded = true;
      windowInFlight = false;
      if (!finished) {
        finished = true;
        buffer.clear();
        signalError(new PgException(failure));
      }
    }
  }
}
