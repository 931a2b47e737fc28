package org.pgsession.internal.future;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.pgsession.CopyOutReceiver;
import org.pgsession.PgException;
import org.pgsession.QueryFailure;
import org.pgsession.Session;
import org.pgsession.internal.session.SessionMachine;

/**
 * {@code copyOut(sql, OutputStream)}: the event loop queues each CopyData chunk and one
 * {@link BlockingIo} thread at a time writes them in order. Backpressure: when more than
 * {@link #HIGH_WATER} bytes wait for the sink the session stops reading from the socket (so the
 * server, not this process, holds the rest), and resumes below {@link #LOW_WATER}. The future
 * completes after the last chunk was written and the sink flushed. A write failure cancels the
 * COPY (CancelRequest), later data is dropped, and the {@link IOException} is the future's
 * failure. The sink is not closed.
 */
public final class CopyOutPump implements CopyOutReceiver {
  static final long HIGH_WATER = 1 << 20;
  static final long LOW_WATER = 256 << 10;

  private final SessionMachine machine;
  private final OutputStream sink;
  private final LoopFuture<Long> future = new LoopFuture<>();
  private final ConcurrentLinkedQueue<Object> items = new ConcurrentLinkedQueue<>();
  private final AtomicInteger wip = new AtomicInteger();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final AtomicBoolean paused = new AtomicBoolean();
  private volatile IOException writeFailure;
  private boolean ended; // event loop only: the COPY got its terminal callback

  /** The end of the data: success with a count, or failure. */
  private record End(long count, Throwable failure) {}

  /**
   * @param machine the session
   * @param sink where the data goes
   */
  public CopyOutPump(SessionMachine machine, OutputStream sink) {
    this.machine = machine;
    this.sink = sink;
  }

  /** @return completes with the number of rows copied, after the sink got every byte */
  public LoopFuture<Long> future() {
    return future;
  }

  @Override
  public void pgCopyData(Session session, byte[] data) {
    if (writeFailure != null) {
      return;
    }
    items.add(data);
    if (queuedBytes.addAndGet(data.length) > HIGH_WATER && paused.compareAndSet(false, true)) {
      machine.pauseReading(paused::get);
    }
    scheduleWriter();
  }

  @Override
  public void pgCopyComplete(Session session, long count) {
    ended = true;
    items.add(new End(count, null));
    scheduleWriter();
  }

  @Override
  public void pgCopyFailed(Session session, QueryFailure failure) {
    ended = true;
    items.add(new End(-1, new PgException(failure)));
    scheduleWriter();
  }

  private void scheduleWriter() {
    if (wip.getAndIncrement() == 0) {
      BlockingIo.executor().execute(this::writeQueued);
    }
  }

  /** Runs on one BlockingIo thread at a time (the wip counter serializes it). */
  private void writeQueued() {
    int missed = 1;
    while (true) {
      Object item;
      while ((item = items.poll()) != null) {
        if (item instanceof byte[] data) {
          write(data);
        } else {
          finish((End) item);
        }
      }
      missed = wip.addAndGet(-missed);
      if (missed == 0) {
        return;
      }
    }
  }

  private void write(byte[] data) {
    if (writeFailure == null) {
      try {
        sink.write(data);
      } catch (IOException e) {
        writeFailure = e;
        machine.post(this::cancelAfterWriteFailure);
      }
    }
    if (queuedBytes.addAndGet(-data.length) < LOW_WATER && paused.compareAndSet(true, false)) {
      machine.pauseReading(paused::get);
    }
  }

  private void cancelAfterWriteFailure() {
    if (!ended) {
      machine.cancelFromCallback(); // on the loop, before our terminal callback: the COPY is in flight
    }
  }

  /** Completes the future on the event loop, like every future of a session. */
  private void finish(End end) {
    Throwable failure = writeFailure != null ? writeFailure : end.failure();
    if (failure == null) {
      try {
        sink.flush();
      } catch (IOException e) {
        failure = e;
      }
    }
    Throwable outcome = failure;
    machine.post(() -> {
      if (outcome != null) {
        future.completeExceptionally(outcome);
      } else {
        future.complete(end.count());
      }
    });
  }
}
