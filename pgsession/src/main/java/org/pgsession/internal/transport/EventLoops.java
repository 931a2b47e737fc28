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
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The process-wide event-loop group shared by all sessions (daemon threads, one per core;
 * native epoll when available, NIO otherwise), and a small daemon pool for the blocking work
 * that must never run on an event loop: DNS look-ups and SCRAM key derivation.
 */
public final class EventLoops {
  private static final boolean EPOLL = Epoll.isAvailable();
  private static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(
      Runtime.getRuntime().availableProcessors(),
      new DefaultThreadFactory("pgsession-loop", true),
      EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
  private static final ExecutorService BLOCKING = newBlockingPool();

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

  /** @return the pool for DNS and key derivation; never the event loop */
  public static ExecutorService blocking() {
    return BLOCKING;
  }

  private static ExecutorService newBlockingPool() {
    ThreadPoolExecutor pool = new ThreadPoolExecutor(
        Math.max(2, Runtime.getRuntime().availableProcessors()),
        Math.max(2, Runtime.getRuntime().availableProcessors()),
        30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        new DefaultThreadFactory("pgsession-blocking", true));
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }
}
