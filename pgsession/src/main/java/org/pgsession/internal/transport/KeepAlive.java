package org.pgsession.internal.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import java.time.Duration;

/**
 * TCP keepalive for a session's connection. With {@code SessionOptions.withKeepAlive(idle)} on
 * a platform whose socket options allow it (native io_uring or epoll), the OS probes a connection that has
 * been silent for {@code idle} and resets it after {@value #PROBES} unanswered probes; the
 * user timeout does the same for bytes that stay unacknowledged (a dead peer while a request
 * is in flight, when keepalive probes are not sent). The reset closes the channel, which ends
 * the session like any connection loss. Elsewhere the session probes itself
 * ({@code IdleProbe}).
 */
public final class KeepAlive {
  /** Unanswered probes before the OS gives up. */
  static final int PROBES = 3;

  private KeepAlive() {}

  /**
   * @param bootstrap the session's bootstrap
   * @param idle the idle time before probing, or null for the OS defaults
   * @return true when the OS checks liveness with that idle time; false when the session must
   *     probe itself
   */
  public static boolean apply(Bootstrap bootstrap, Duration idle) {
    bootstrap.option(ChannelOption.SO_KEEPALIVE, true);
    if (idle == null) {
      return true;
    }
    int idleSeconds = seconds(idle);
    int intervalSeconds = Math.max(1, idleSeconds / PROBES);
    long userTimeoutMillis = (idleSeconds + (long) intervalSeconds * PROBES) * 1000L;
    return NativeTransport.CHOSEN.keepAlive(bootstrap, idleSeconds, intervalSeconds, PROBES,
        (int) Math.min(Integer.MAX_VALUE, userTimeoutMillis));
  }

  /** @param idle the idle time @return whole seconds, rounded up, within what Linux accepts */
  static int seconds(Duration idle) {
    long s = idle.toSeconds() + (idle.toNanosPart() > 0 ? 1 : 0);
    return (int) Math.max(1, Math.min(32_767, s));
  }
}
