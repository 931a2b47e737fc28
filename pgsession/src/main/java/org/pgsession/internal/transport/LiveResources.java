package org.pgsession.internal.transport;

import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Process-wide counts of the driver's open channels and pending timers, so tests can check that
 * a finished session left nothing behind. One atomic increment and one listener per channel or
 * timer; never on a per-message path.
 */
public final class LiveResources {
  private static final AtomicInteger CHANNELS = new AtomicInteger();
  private static final AtomicInteger TIMERS = new AtomicInteger();

  private LiveResources() {}

  /** @param channel a channel just created; counted until its close future completes */
  static void channel(Channel channel) {
    CHANNELS.incrementAndGet();
    channel.closeFuture().addListener(f -> CHANNELS.decrementAndGet());
  }

  /**
   * @param timer a timer just scheduled; counted until it ran or was cancelled
   * @param <F> its type
   * @return the timer
   */
  public static <F extends Future<?>> F timer(F timer) {
    TIMERS.incrementAndGet();
    timer.addListener(f -> TIMERS.decrementAndGet());
    return timer;
  }

  /** @return channels created by the driver and not yet closed */
  public static int openChannels() {
    return CHANNELS.get();
  }

  /** @return timers scheduled by the driver that have neither run nor been cancelled */
  public static int pendingTimers() {
    return TIMERS.get();
  }
}
