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
  private long writes;

  private final boolean osChecksLiveness;

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
    writes++;
    // A write error closes the channel; the inactive event then drives the one shutdown path.
    channel.writeAndFlush(buf).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
  }

  @Override
  public void sendThen(ByteBuf buf, Runnable written) {
    writes++;
    channel.writeAndFlush(buf).addListener(f -> {
      if (f.isSuccess()) {
        written.run();
      } else {
        channel.close();
      }
    });
  }

  @Override
  public long writes() {
    return writes;
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
  public java.net.SocketAddress remoteAddress() {
    return channel.remoteAddress();
  }

  @Override
  public EventLoop loop() {
    return channel.eventLoop();
  }
}
