package org.pgsession.internal.future;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.pgsession.internal.transport.EventLoops;

/**
 * The future type of the convenience API. Sessions complete their futures on their event loop,
 * so waiting for one on an event loop thread could never end: {@link #join()} and the
 * {@code get} methods refuse with an {@link IllegalStateException} there. Derived stages
 * ({@code thenApply}, ...) are of this type too, so they keep the check.
 *
 * @param <T> the value
 */
public final class LoopFuture<T> extends CompletableFuture<T> {

  /** An incomplete future. */
  public LoopFuture() {}

  /**
   * @param <T> the value type
   * @param value the value
   * @return a future completed with it
   */
  public static <T> LoopFuture<T> completed(T value) {
    LoopFuture<T> f = new LoopFuture<>();
    f.complete(value);
    return f;
  }

  /**
   * @param <T> the value type
   * @param failure the failure
   * @return a future failed with it
   */
  public static <T> LoopFuture<T> failed(Throwable failure) {
    LoopFuture<T> f = new LoopFuture<>();
    f.completeExceptionally(failure);
    return f;
  }

  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    return new LoopFuture<>();
  }

  @Override
  public T join() {
    refuseOnEventLoop("join()");
    return super.join();
  }

  @Override
  public T get() throws InterruptedException, ExecutionException {
    refuseOnEventLoop("get()");
    return super.get();
  }

  @Override
  public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
    refuseOnEventLoop("get(timeout)");
    return super.get(timeout, unit);
  }

  private static void refuseOnEventLoop(String what) {
    if (EventLoops.inEventLoop()) {
      throw new IllegalStateException(what + " on a pgsession event loop thread would deadlock: the future"
          + " completes on that loop. Chain a callback (thenApply, thenCompose, ...) instead of blocking.");
    }
  }
}
