package org.pgsession.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import java.time.Duration;

/** {@link Transport} over a connected Netty channel. */
public final class NettyTransport implements Transport {
  private final Channel channel;
  private final boolean osChecksLiveness;
  private long bytesSent;
  private boolean corked;
  private boolean unflushed;

  /** @param channel the connected channel */
  public NettyTransport(Channel channel) {
    this(channel, true);
  }

  /**
   * @param channel the connected channel
   * @param osChecksLiveness whether TCP keepalive was set up with the session's idle time
   */
  public NettyTransport(Channel channel, boolean osChecksLiveness) {
    this.channel = channel;
    this.osChecksLiveness = osChecksLiveness;
  }

  @Override
  public boolean osChecksLiveness() {
    return osChecksLiveness;
  }

  @Override
  public ByteBufAllocator alloc() {
    return channel.alloc();
  }

  @Override
  public void send(ByteBuf buf) {
    bytesSent += buf.readableBytes();
    // No promise per write: a write error reaches exceptionCaught (PgChannelHandler), which
    // closes the channel; the inactive event then drives the one shutdown path.
    if (corked) {
      unflushed = true;
      channel.write(buf, channel.voidPromise());
    } else {
      channel.writeAndFlush(buf, channel.voidPromise());
    }
  }

  /**
   * Until {@link #uncork}, {@link #send} writes without flushing, so that many small messages
   * (pipelined operations) leave in one flush. Event loop only.
   */
  @Override
  public void cork() {
    corked = true;
  }

  /** Flushes what {@link #send} wrote since {@link #cork}. */
  @Override
  public void uncork() {
    corked = false;
    if (unflushed) {
      unflushed = false;
      channel.flush();
    }
  }

  @Override
  public void sendThen(ByteBuf buf, Runnable written) {
    bytesSent += buf.readableBytes();
    channel.writeAndFlush(buf).addListener(f -> {
      if (f.isSuccess()) {
        written.run();
      } else {
        channel.close();
      }
    });
  }

  @Override
  public boolean isWritable() {
    return channel.isWritable();
  }

  @Override
  public void pauseReading(boolean paused) {
    channel.config().setAutoRead(!paused);
  }

  @Override
  public void close() {
    channel.close();
  }

  @Override
  public void sendAndClose(ByteBuf last, Duration deadline) {
    if (!channel.isActive()) {
      last.release();
      channel.close();
      return;
    }
    channel.writeAndFlush(last).addListener(ChannelFutureListener.CLOSE);
    // The bytes queue behind whatever is still unflushed; a peer that stops reading would keep
    // the socket open forever. After the deadline, abort: RST, unsent bytes dropped.
    var abort = schedule(deadline, this::abort);
    channel.closeFuture().addListener(f -> abort.cancel(false));
  }

  private void abort() {
    if (channel.isOpen()) {
      try {
        channel.config().setOption(ChannelOption.SO_LINGER, 0);
      } catch (RuntimeException ignored) {
        // not every channel type supports it; a plain close still releases the descriptor
      }
      channel.close();
    }
  }

  @Override
  public long bytesSent() {
    return bytesSent;
  }

  @Override
  public java.net.SocketAddress remoteAddress() {
    return channel.remoteAddress();
  }

  @Override
  public EventLoop loop() {
    return channel.eventLoop();
  }
}
