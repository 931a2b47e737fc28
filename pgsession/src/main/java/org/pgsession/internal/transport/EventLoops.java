package org.pgsession.internal.transport;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.ExecutorService;

/**
 * The process-wide event-loop group shared by all sessions (daemon threads, one per core;
 * native epoll when available, NIO otherwise), and two small bounded daemon pools for the
 * blocking work that must never run on an event loop. DNS look-ups and SCRAM key derivation
 * have separate pools: a server demanding the iteration cap on every login must not delay
 * every other session's host name look-up, and a full pool fails fast instead of queueing
 * without bound.
 */
public final class EventLoops {
  private static final boolean EPOLL = Epoll.isAvailable();
  private static final int CORES = Runtime.getRuntime().availableProcessors();
  private static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(
      CORES,
      new DefaultThreadFactory("pgsession-loop", true),
      EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
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
    return EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
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
