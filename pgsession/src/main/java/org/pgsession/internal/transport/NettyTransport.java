package org.pgsession.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;

/** {@link Transport} over a connected Netty channel. */
public final class NettyTransport implements Transport {
  private final Channel channel;
  private long bytesSent;
  private boolean corked;
  private boolean unflushed;

  /** @param channel the connected channel */
  public NettyTransport(Channel channel) {
    this.channel = channel;
  }

  @Override
  public ByteBufAllocator alloc() {
    return channel.alloc();
  }

  @Override
  public void send(ByteBuf buf) {
    bytesSent += buf.readableBytes();
    // A write error closes the channel; the inactive event then drives the one shutdown path.
    if (corked) {
      unflushed = true;
      channel.write(buf).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    } else {
      channel.writeAndFlush(buf).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }
  }

  /**
   * Until {@link #uncork}, {@link #send} writes without flushing, so that many small messages
   * (pipelined operations) leave in one flush. Event loop only.
   */
  public void cork() {
    corked = true;
  }

  /** Flushes what {@link #send} wrote since {@link #cork}. */
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

  /** Sends these final bytes, then closes. @param last the bytes (ownership passes) */
  public void sendAndClose(ByteBuf last) {
    if (channel.isActive()) {
      channel.writeAndFlush(last).addListener(ChannelFutureListener.CLOSE);
    } else {
      last.release();
      channel.close();
    }
  }

  /** @return how many bytes {@link #send} and {@link #sendThen} were given so far (event loop only) */
  public long bytesSent() {
    return bytesSent;
  }

  /** @return the server address this connection reached */
  public java.net.SocketAddress remoteAddress() {
    return channel.remoteAddress();
  }

  @Override
  public EventLoop loop() {
    return channel.eventLoop();
  }
}
