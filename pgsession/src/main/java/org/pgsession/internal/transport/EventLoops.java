package org.pgsession.internal.transport;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.ExecutorService;

/**
 * The process-wide event-loop group shared by all sessions (daemon threads, one per core; io_uring,
 * epoll or NIO as {@link NativeTransport} chooses), and two small bounded daemon pools for the
 * blocking work that must never run on an event loop. DNS look-ups and SCRAM key derivation
 * have separate pools: a server demanding the iteration cap on every login must not delay
 * every other session's host name look-up, and a full pool fails fast instead of queueing
 * without bound.
 */
public final class EventLoops {
  private static final int CORES = Runtime.getRuntime().availableProcessors();
  private static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(
      CORES,
      new DefaultThreadFactory("pgsession-loop", true),
      NativeTransport.CHOSEN.ioHandlerFactory());
  /** Look-ups wait on the network, not the CPU: a few more threads than cores. */
  private static final ExecutorService DNS = BlockingPool.create("pgsession-dns", Math.max(4, CORES), 4096);
  /** PBKDF2 is pure CPU: at most one thread per core; a short queue bounds the delay. */
  private static final ExecutorService KEY_DERIVATION =
      BlockingPool.create("pgsession-kdf", Math.max(1, CORES), 4096);

  private EventLoops() {}

  /** @return an event loop for a new session (round robin over the shared group) */
  public static EventLoop next() {
    return GROUP.next();
  }

  /**
   * @return whether the calling thread is one of the shared event loops (where blocking on a
   *     session's future would deadlock)
   */
  public static boolean inEventLoop() {
    for (io.netty.util.concurrent.EventExecutor loop : GROUP) {
      if (loop.inEventLoop()) {
        return true;
      }
    }
    return false;
  }

  /** @return the socket channel class matching the group's transport */
  public static Class<? extends SocketChannel> channelClass() {
    return NativeTransport.CHOSEN.channelClass();
  }

  /** @return the transport's name ({@code io_uring}, {@code epoll} or {@code nio}), for logs and tests */
  public static String transportName() {
    return NativeTransport.CHOSEN.name().toLowerCase(java.util.Locale.ROOT);
  }

  /** @return the bounded pool for host name look-ups (rejects when full) */
  public static ExecutorService dns() {
    return DNS;
  }

  /** @return the bounded pool for SCRAM key derivation (rejects when full) */
  public static ExecutorService keyDerivation() {
    return KEY_DERIVATION;
  }
}
