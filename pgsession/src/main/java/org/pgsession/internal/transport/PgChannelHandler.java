package org.pgsession.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.pgsession.internal.protocol.BackendMessage;
import org.pgsession.internal.protocol.BackendParser;
import org.pgsession.internal.protocol.ProtocolViolationException;

/**
 * Turns inbound bytes into {@link BackendMessage}s and hands each straight to the session
 * (no intermediate list). Before framing starts it can read the single-byte answer to an
 * SSLRequest, and reports whether any further byte was already buffered behind it
 * (CVE-2021-23222: such bytes were not protected by TLS and must not be trusted).
 */
public final class PgChannelHandler extends ByteToMessageDecoder {

  /** What the handler reports to; called on the channel's event loop. */
  public interface Listener {
    /** @param answer the byte the server sent @param trailingBytes whether more bytes followed it */
    void onSslAnswer(byte answer, boolean trailingBytes);

    /** @param message one validated backend message */
    void onMessage(BackendMessage message);

    /** @param violation the server broke the protocol */
    void onProtocolViolation(ProtocolViolationException violation);

    /** The connection is gone. */
    void onInactive();

    /** @param cause an I/O or TLS error */
    void onError(Throwable cause);

    /** @param writable the channel's new writability */
    void onWritabilityChanged(boolean writable);
  }

  private final Listener listener;
  private final BackendParser parser;
  private boolean awaitingSslAnswer;
  private boolean stopped;

  /**
   * @param listener where events go
   * @param maxMessageLength the largest backend message accepted
   */
  public PgChannelHandler(Listener listener, int maxMessageLength) {
    this.listener = listener;
    this.parser = new BackendParser(maxMessageLength);
  }

  /** The next inbound byte is the answer to an SSLRequest. */
  public void expectSslAnswer() {
    awaitingSslAnswer = true;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (stopped) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (awaitingSslAnswer) {
      if (!in.isReadable()) {
        return;
      }
      awaitingSslAnswer = false;
      byte answer = in.readByte();
      listener.onSslAnswer(answer, in.isReadable());
      return;
    }
    try {
      BackendMessage message;
      // No isActive() check: a server's last words (an ErrorResponse before it closes) are
      // decoded after the channel went inactive, and must still be delivered.
      while (!stopped && (message = parser.decode(in)) != null) {
        listener.onMessage(message);
      }
    } catch (ProtocolViolationException e) {
      stopped = true;
      in.skipBytes(in.readableBytes());
      listener.onProtocolViolation(e);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    super.channelInactive(ctx);
    stopped = true;
    listener.onInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    listener.onError(cause);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    listener.onWritabilityChanged(ctx.channel().isWritable());
    super.channelWritabilityChanged(ctx);
  }
}
