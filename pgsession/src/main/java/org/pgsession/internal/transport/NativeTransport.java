package org.pgsession.internal.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringSocketChannel;
import java.util.Locale;

/**
 * The socket transport of the shared event loops, chosen once per process: native epoll by
 * default, NIO where epoll is missing. The system property {@value #PROPERTY} ({@code io_uring},
 * {@code epoll} or {@code nio}) asks for another; an unavailable choice falls back down the order
 * io_uring, epoll, NIO, so a kernel or container that forbids io_uring (seccomp,
 * {@code kernel.io_uring_disabled}) still gets epoll. io_uring submits a loop turn's sends and
 * receives in one system call; measured on the benchmark host it was no faster than epoll
 * beyond the run-to-run noise (docs/PERFORMANCE.md), so it stays an opt-in.
 */
enum NativeTransport {
  /** Linux io_uring (Netty's io_uring transport). */
  IO_URING,
  /** Linux epoll (Netty's native epoll transport). */
  EPOLL,
  /** Java NIO selectors: any platform. */
  NIO;

  /** The system property that picks the transport. */
  static final String PROPERTY = "pgsession.transport";

  /** The transport of this process. */
  static final NativeTransport CHOSEN = choose(System.getProperty(PROPERTY, "epoll"));

  /**
   * @param wanted the requested transport's name (case-insensitive); unknown names mean epoll
   * @return the first available transport at or after the requested one in io_uring, epoll, NIO
   */
  static NativeTransport choose(String wanted) {
    NativeTransport start = switch (wanted.trim().toLowerCase(Locale.ROOT)) {
      case "nio" -> NIO;
      case "io_uring" -> IO_URING;
      default -> EPOLL;
    };
    if (start == IO_URING && uringAvailable()) {
      return IO_URING;
    }
    if (start != NIO && epollAvailable()) {
      return EPOLL;
    }
    return NIO;
  }

  private static boolean uringAvailable() {
    try {
      return IoUring.isAvailable();
    } catch (LinkageError e) { // the native library or its classes are missing
      return false;
    }
  }

  private static boolean epollAvailable() {
    try {
      return Epoll.isAvailable();
    } catch (LinkageError e) {
      return false;
    }
  }

  /** @return the event-loop I/O handler factory of this transport */
  IoHandlerFactory ioHandlerFactory() {
    return switch (this) {
      case IO_URING -> IoUringIoHandler.newFactory();
      case EPOLL -> EpollIoHandler.newFactory();
      case NIO -> NioIoHandler.newFactory();
    };
  }

  /** @return the socket channel class of this transport */
  Class<? extends SocketChannel> channelClass() {
    return switch (this) {
      case IO_URING -> IoUringSocketChannel.class;
      case EPOLL -> EpollSocketChannel.class;
      case NIO -> NioSocketChannel.class;
    };
  }

  /**
   * Sets the Linux TCP keepalive and user-timeout options, where the transport exposes them.
   *
   * @param bootstrap the connection's bootstrap
   * @param idleSeconds idle time before the first probe
   * @param intervalSeconds time between probes
   * @param probes unanswered probes before the reset
   * @param userTimeoutMillis how long sent bytes may stay unacknowledged
   * @return false on NIO, which cannot set them
   */
  boolean keepAlive(Bootstrap bootstrap, int idleSeconds, int intervalSeconds, int probes, int userTimeoutMillis) {
    switch (this) {
      case IO_URING -> bootstrap.option(IoUringChannelOption.TCP_KEEPIDLE, idleSeconds)
          .option(IoUringChannelOption.TCP_KEEPINTVL, intervalSeconds)
          .option(IoUringChannelOption.TCP_KEEPCNT, probes)
          .option(IoUringChannelOption.TCP_USER_TIMEOUT, userTimeoutMillis);
      case EPOLL -> bootstrap.option(EpollChannelOption.TCP_KEEPIDLE, idleSeconds)
          .option(EpollChannelOption.TCP_KEEPINTVL, intervalSeconds)
          .option(EpollChannelOption.TCP_KEEPCNT, probes)
          .option(EpollChannelOption.TCP_USER_TIMEOUT, userTimeoutMillis);
      case NIO -> {
        return false;
      }
    }
    return true;
  }
}
