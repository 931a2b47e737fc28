package org.pgsession.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;

/**
 * The session state machine's only view of the network: allocate, write, flush, close and
 * schedule. Implemented over a Netty channel; a test can supply its own.
 */
public interface Transport {
  /** @return the allocator for outbound buffers */
  ByteBufAllocator alloc();

  /** Writes and flushes one buffer (ownership passes to the transport). @param buf the bytes */
  void send(ByteBuf buf);

  /**
   * Writes and flushes one buffer, then runs {@code written} on the event loop once the bytes
   * have left for the socket (not if the write fails: the connection then closes).
   *
   * @param buf the bytes (ownership passes)
   * @param written the continuation
   */
  void sendThen(ByteBuf buf, Runnable written);

  /**
   * @return how many bytes {@link #send} and {@link #sendThen} were given so far: lets the
   *     session measure an operation's writes and tell whether one that failed while starting
   *     had already written something (event loop only)
   */
  long bytesSent();

  /**
   * Until {@link #uncork}, {@link #send} writes without flushing, so that many small messages
   * (pipelined operations) leave in one flush. Event loop only.
   */
  void cork();

  /** Flushes what {@link #send} wrote since {@link #cork}. */
  void uncork();

  /** @return whether the connection can take more outbound bytes now */
  boolean isWritable();

  /**
   * Stops or resumes reading from the connection (backpressure). No-op by default.
   *
   * @param paused true to stop reading
   */
  default void pauseReading(boolean paused) {}

  /** Closes the connection; idempotent. */
  void close();

  /**
   * Sends these final bytes (best effort), then closes. The socket is released within
   * {@code deadline} even when the peer stops reading and the bytes can never leave: then the
   * connection is aborted instead.
   *
   * @param last the bytes (ownership passes)
   * @param deadline how long the bytes may take to leave
   */
  void sendAndClose(ByteBuf last, Duration deadline);

  /**
   * @return whether the OS checks this connection's liveness with the session's keepalive idle
   *     time (TCP keepalive); when false and a keepalive is configured, the session probes
   */
  boolean osChecksLiveness();

  /** @return the server address this connection reached (cancel requests go there too) */
  java.net.SocketAddress remoteAddress();

  /** @return the session's event loop */
  EventLoop loop();

  /**
   * @param delay how long to wait
   * @param task what to run on the event loop
   * @return a handle to cancel it
   */
  default ScheduledFuture<?> schedule(Duration delay, Runnable task) {
    return LiveResources.timer(loop().schedule(task, delay.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS));
  }
}
