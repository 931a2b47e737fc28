package org.pgsession.bench;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Blocking waits of the trial thread on async clients' futures, bounded so no run can hang. */
public final class Await {
  private static final long LIMIT_MINUTES = 10;

  private Await() {
  }

  /**
   * Waits for a stage, rethrowing its failure (a checksum mismatch stays one).
   *
   * @param <T> the value type
   * @param stage the stage
   * @return its value
   * @throws Exception its failure, or a timeout after 10 minutes
   */
  public static <T> T await(CompletionStage<T> stage) throws Exception {
    try {
      return stage.toCompletableFuture().get(LIMIT_MINUTES, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception ex) {
        throw ex;
      }
      throw e;
    } catch (TimeoutException e) {
      throw new IllegalStateException("no answer within " + LIMIT_MINUTES + " minutes", e);
    }
  }
}
