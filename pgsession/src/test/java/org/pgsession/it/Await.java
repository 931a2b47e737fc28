package org.pgsession.it;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits on conditions with a deadline (never sleeps as an assertion). */
public final class Await {
  /** Generous default for a loaded 2-core machine. */
  public static final Duration DEFAULT = Duration.ofSeconds(30);

  private Await() {}

  /** @param what description for the failure @param condition polled until true */
  public static void until(String what, BooleanSupplier condition) {
    until(what, DEFAULT, condition);
  }

  /** @param what description @param timeout deadline @param condition polled until true */
  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what);
      }
    }
  }

  /**
   * Waits for {@code done} as long as {@code progress} keeps changing: fails only when it stood
   * still for {@code stall} (a hang), never because the machine is slow.
   *
   * @param what description for the failure
   * @param stall longest time without progress
   * @param progress a counter that moves while the work advances
   * @param done polled until true
   */
  public static void whileProgressing(String what, Duration stall, java.util.function.LongSupplier progress,
      BooleanSupplier done) {
    long last = progress.getAsLong();
    long deadline = System.nanoTime() + stall.toNanos();
    while (!done.getAsBoolean()) {
      long now = progress.getAsLong();
      if (now != last) {
        last = now;
        deadline = System.nanoTime() + stall.toNanos();
      } else if (System.nanoTime() > deadline) {
        throw new AssertionError("no progress for " + stall + " (at " + now + ") waiting for: " + what);
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what);
      }
    }
  }
}
