package org.pgsession.it;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting on futures of the everyday API with a generous deadline. */
public final class Futures {
  private Futures() {}

  /**
   * @param <T> the value
   * @param f a future
   * @return its value; its failure is rethrown as a CompletionException with the cause
   */
  public static <T> T await(CompletableFuture<T> f) {
    try {
      return f.get(120, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new CompletionException(e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("future did not complete within 120 s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    }
  }

  /** @param f a future that must fail @return its failure */
  public static Throwable failure(CompletableFuture<?> f) {
    try {
      await(f);
    } catch (CompletionException e) {
      return e.getCause();
    }
    throw new AssertionError("the future succeeded");
  }
}
