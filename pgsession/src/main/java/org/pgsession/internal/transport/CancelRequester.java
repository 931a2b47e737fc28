package org.pgsession.internal.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.pgsession.ServerConnectInfo;
import org.pgsession.SslMode;
import org.pgsession.internal.protocol.FrontendMessages;

/**
 * Sends one CancelRequest over its own connection, with the session's TLS settings, and reports
 * when the server has closed that connection: only then has the server signalled the backend,
 * so only then may the session send its next operation without the cancel hitting it.
 */
public final class CancelRequester extends ChannelInboundHandlerAdapter {
  /** Connect, and separately the TLS handshake, may take this long. */
  private static final long GIVE_UP_MILLIS = 3_000;
  /**
   * After the CancelRequest has left, the server normally closes at once; a server that never
   * does must not hold the session's queue, so the connection is closed after this wait.
   */
  static final long AFTER_FLUSH_MILLIS = 1_000;

  private final ServerConnectInfo server;
  private final int processId;
  private final byte[] secretKey;
  private final Runnable done;
  private boolean awaitingSslAnswer;
  private boolean finished;

  private CancelRequester(ServerConnectInfo server, int processId, byte[] secretKey, Runnable done) {
    this.server = server;
    this.processId = processId;
    this.secretKey = secretKey.clone();
    this.done = done;
  }

  /**
   * @param loop the session's event loop (done runs there)
   * @param address the address the session is connected to
   * @param server the session's settings (TLS mode)
   * @param processId backend process id
   * @param secretKey backend secret key
   * @param done runs once, when the cancel connection is closed or failed
   */
  public static void send(EventLoop loop, SocketAddress address, ServerConnectInfo server, int processId,
      byte[] secretKey, Runnable done) {
    CancelRequester requester = new CancelRequester(server, processId, secretKey, done);
    io.netty.channel.ChannelFuture connecting = new Bootstrap().group(loop).channel(EventLoops.channelClass())
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) GIVE_UP_MILLIS)
        .handler(requester)
        .connect(address);
    LiveResources.channel(connecting.channel());
    connecting.addListener(f -> {
      if (!f.isSuccess()) {
        requester.finish();
      }
    });
  }

  private void finish() {
    if (!finished) {
      finished = true;
      done.run();
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    Channel ch = ctx.channel();
    // Never let a silent server hold the session's queue.
    var giveUp = LiveResources.timer(ch.eventLoop().schedule(() -> {
      ch.close();
    }, GIVE_UP_MILLIS, TimeUnit.MILLISECONDS));
    ch.closeFuture().addListener(f -> giveUp.cancel(false)); // no timer outlives the connection
    if (server.sslMode() instanceof SslMode.Disabled) {
      sendCancel(ctx);
    } else {
      awaitingSslAnswer = true;
      ByteBuf req = ctx.alloc().buffer(8);
      FrontendMessages.sslRequest(req);
      ctx.writeAndFlush(req);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (!awaitingSslAnswer || !(msg instanceof ByteBuf buf) || !buf.isReadable()) {
        return; // after CancelRequest the server sends nothing; ignore anything it does
      }
      awaitingSslAnswer = false;
      byte answer = buf.readByte();
      if (answer == 'S' && !buf.isReadable()) {
        startTls(ctx);
      } else if (answer == 'N' && server.sslMode() instanceof SslMode.Preferred) {
        sendCancel(ctx);
      } else {
        ctx.close();
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void startTls(ChannelHandlerContext ctx) {
    SslMode mode = server.sslMode();
    SSLContext context = mode instanceof SslMode.Required r ? r.context() : ((SslMode.Preferred) mode).context();
    SSLEngine engine = context.createSSLEngine(server.host(), server.port());
    engine.setUseClientMode(true);
    if (mode instanceof SslMode.Required r && r.verifyHostname()) {
      SSLParameters params = engine.getSSLParameters();
      params.setEndpointIdentificationAlgorithm("HTTPS");
      engine.setSSLParameters(params);
    }
    SslHandler ssl = new SslHandler(engine);
    ctx.pipeline().addFirst(ssl);
    ssl.handshakeFuture().addListener(f -> {
      if (f.isSuccess()) {
        sendCancel(ctx);
      } else {
        ctx.close();
      }
    });
  }

  private void sendCancel(ChannelHandlerContext ctx) {
    ByteBuf buf = ctx.alloc().buffer(12 + secretKey.length);
    FrontendMessages.cancelRequest(buf, processId, secretKey);
    Channel ch = ctx.channel();
    ctx.writeAndFlush(buf).addListener(f -> {
      if (f.isSuccess()) {
        var afterFlush = LiveResources.timer(ch.eventLoop().schedule(() -> {
          ch.close();
        }, AFTER_FLUSH_MILLIS, TimeUnit.MILLISECONDS));
        ch.closeFuture().addListener(closed -> afterFlush.cancel(false));
      } else {
        ch.close();
      }
    });
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    finish();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
