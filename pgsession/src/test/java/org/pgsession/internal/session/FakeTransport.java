package org.pgsession.internal.session;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.pgsession.internal.transport.Transport;

/**
 * A {@link Transport} with no network: it records every frontend message written (by type
 * byte) and can be told to hand out buffers that cannot grow past a small capacity, so that
 * writing a message fails inside an operation's {@code start}.
 */
final class FakeTransport implements Transport {
  private final EventLoop loop;
  private final List<Character> sentTypes = new ArrayList<>();
  private final List<String> queries = new java.util.concurrent.CopyOnWriteArrayList<>();
  private int maxCapacity = Integer.MAX_VALUE;
  private long bytesSent;
  private boolean closed;
  private boolean osChecksLiveness = true;

  FakeTransport(EventLoop loop) {
    this.loop = loop;
  }

  /** @param bytes largest capacity of buffers handed out from now on */
  void limitBuffers(int bytes) {
    maxCapacity = bytes;
  }

  /** @return the SQL of the simple Query messages written so far (without the NUL) */
  List<String> queries() {
    return List.copyOf(queries);
  }

  /** @return the type bytes of the frontend messages written so far (0 for startup packets) */
  List<Character> sentTypes() {
    return List.copyOf(sentTypes);
  }

  /** @param checks whether to claim the OS checks liveness (TCP keepalive) */
  void osChecksLiveness(boolean checks) {
    osChecksLiveness = checks;
  }

  @Override
  public boolean osChecksLiveness() {
    return osChecksLiveness;
  }

  boolean closed() {
    return closed;
  }

  @Override
  public ByteBufAllocator alloc() {
    return new AbstractByteBufAllocator(false) {
      @Override
      protected ByteBuf newHeapBuffer(int initialCapacity, int max) {
        int cap = Math.min(max, maxCapacity);
        return Unpooled.buffer(Math.min(initialCapacity, cap), cap);
      }

      @Override
      protected ByteBuf newDirectBuffer(int initialCapacity, int max) {
        return newHeapBuffer(initialCapacity, max);
      }

      @Override
      public boolean isDirectBufferPooled() {
        return false;
      }
    };
  }

  @Override
  public void send(ByteBuf buf) {
    bytesSent += buf.readableBytes();
    try {
      record(buf);
    } finally {
      buf.release();
    }
  }

  private void record(ByteBuf buf) {
    int i = buf.readerIndex();
    while (i < buf.writerIndex()) {
      byte type = buf.getByte(i);
      if (type == 0) { // startup packet: int32 length first, no type byte
        sentTypes.add((char) 0);
        i += buf.getInt(i);
      } else {
        sentTypes.add((char) type);
        int length = buf.getInt(i + 1);
        if (type == 'Q') {
          queries.add(buf.toString(i + 5, length - 5, java.nio.charset.StandardCharsets.UTF_8));
        }
        i += 1 + length;
      }
    }
  }

  @Override
  public void sendThen(ByteBuf buf, Runnable written) {
    send(buf);
    loop.execute(written);
  }

  @Override
  public long bytesSent() {
    return bytesSent;
  }

  @Override
  public void cork() { }

  @Override
  public void uncork() { }

  @Override
  public boolean isWritable() {
    return !closed;
  }

  @Override
  public void close() {
    closed = true;
  }

  @Override
  public void sendAndClose(ByteBuf last, Duration deadline) {
    send(last);
    close();
  }

  @Override
  public SocketAddress remoteAddress() {
    return InetSocketAddress.createUnresolved("fake", 5432);
  }

  @Override
  public EventLoop loop() {
    return loop;
  }
}
