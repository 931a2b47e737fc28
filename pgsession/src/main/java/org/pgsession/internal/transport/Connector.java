package org.pgsession.internal.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.pgsession.ConnectionFailureReason;
import org.pgsession.ProtocolViolation;
import org.pgsession.ServerConnectInfo;
import org.pgsession.SslMode;
import org.pgsession.SslNegotiation;
import org.pgsession.internal.protocol.BackendMessage;
import org.pgsession.internal.protocol.BackendParser;
import org.pgsession.internal.protocol.FrontendMessages;
import org.pgsession.internal.protocol.ProtocolViolationException;

/**
 * Brings a session's connection up: resolves the host off the event loop, tries each address
 * in turn, negotiates TLS per {@link SslMode} and then hands backend messages to its listener.
 * All methods run on the session's event loop.
 */
public final class Connector implements PgChannelHandler.Listener {
  /** The ALPN protocol name of direct TLS. */
  static final String ALPN = "postgresql";

  /** The session side of the connection. */
  public interface Listener {
    /** TCP is up. @param transport the connection */
    void onTcpConnected(Transport transport);

    /** TLS is up, or not wanted: the startup exchange may begin. */
    void onSecured();

    /** @param reason the connection could not be established */
    void onConnectFailed(ConnectionFailureReason reason);

    /** @param message one backend message */
    void onMessage(BackendMessage message);

    /** @param violation the server broke the protocol */
    void onProtocolViolation(ProtocolViolationException violation);

    /** The connection closed (by the server, the network, or us). */
    void onPeerClosed();

    /** @param writable new writability */
    void onWritabilityChanged(boolean writable);
  }

  private final ServerConnectInfo server;
  private final EventLoop loop;
  private final Listener listener;
  private final int maxMessageSize;
  private final java.time.Duration keepAliveIdle;
  private boolean osKeepAlive = true;
  private final boolean consolidateFlushes;
  private PgChannelHandler handler;
  private Channel channel;
  private SslHandler sslHandler;
  private boolean abandoned;
  private ChannelFuture pending;

  /**
   * @param server where to connect
   * @param loop the session's event loop
   * @param listener the session
   * @param maxMessageSize the largest backend message accepted
   * @param consolidateFlushes whether flushes made while reading are gathered into one at the end
   *     of the read (pipelining: many small writes, one syscall)
   */
  public Connector(ServerConnectInfo server, EventLoop loop, Listener listener, int maxMessageSize,
      boolean consolidateFlushes) {
    this(server, loop, listener, maxMessageSize, consolidateFlushes, null);
  }

  /**
   * @param server where to connect
   * @param loop the session's event loop
   * @param listener the session
   * @param maxMessageSize the largest backend message accepted
   * @param consolidateFlushes whether flushes made while reading are gathered into one at the end
   *     of the read
   * @param keepAliveIdle TCP keepalive idle time, or null for the OS defaults
   */
  public Connector(ServerConnectInfo server, EventLoop loop, Listener listener, int maxMessageSize,
      boolean consolidateFlushes, java.time.Duration keepAliveIdle) {
    this.keepAliveIdle = keepAliveIdle;
    this.server = server;
    this.loop = loop;
    this.listener = listener;
    this.maxMessageSize = maxMessageSize;
    this.consolidateFlushes = consolidateFlushes;
  }

  /** Starts: DNS on its bounded pool (a full pool fails at once), then TCP on the loop. */
  public void connect() {
    String host = server.host();
    try {
      EventLoops.dns().execute(() -> resolve(host));
    } catch (java.util.concurrent.RejectedExecutionException overloaded) {
      fail(new ConnectionFailureReason.ConnectionFailedOverloaded());
    }
  }

  /** Runs on the DNS pool. */
  private void resolve(String host) {
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(host);
    } catch (UnknownHostException | SecurityException e) {
      loop.execute(() -> fail(new ConnectionFailureReason.ConnectionFailedDNS()));
      return;
    }
    loop.execute(() -> tryAddress(addresses, 0));
  }

  /** The session has ended: a pending connect is closed, late results are dropped. */
  public void abandon() {
    abandoned = true;
    if (pending != null && !pending.isDone()) {
      pending.channel().close(); // a connect still in progress: don't wait for the OS to give up
    }
  }

  private void tryAddress(InetAddress[] addresses, int index) {
    if (abandoned) {
      return;
    }
    handler = new PgChannelHandler(this, maxMessageSize);
    Bootstrap bootstrap = new Bootstrap()
        .group(loop)
        .channel(EventLoops.channelClass())
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(handler);
    osKeepAlive = KeepAlive.apply(bootstrap, keepAliveIdle);
    ChannelFuture f = bootstrap.connect(new InetSocketAddress(addresses[index], server.port()));
    pending = f;
    LiveResources.channel(f.channel());
    f.addListener(done -> {
      if (abandoned) {
        f.channel().close();
      } else if (done.isSuccess()) {
        onTcpUp(f.channel());
      } else if (index + 1 < addresses.length) {
        tryAddress(addresses, index + 1);
      } else {
        fail(new ConnectionFailureReason.ConnectionFailedTCP());
      }
    });
  }

  private void onTcpUp(Channel ch) {
    channel = ch;
    if (consolidateFlushes) {
      // Before the decoder, behind TLS (added first later): sees the reads, so the flushes of
      // operations written while a read's messages are handled leave together at its end.
      ch.pipeline().addFirst("flushes", new FlushConsolidationHandler(256, false));
    }
    listener.onTcpConnected(new NettyTransport(ch, osKeepAlive));
    if (abandoned) {
      return;
    }
    if (server.sslMode() instanceof SslMode.Disabled) {
      listener.onSecured();
      return;
    }
    if (server.sslNegotiation() == SslNegotiation.DIRECT) {
      startTls(); // TLS from the first byte: no SSLRequest round trip (PostgreSQL 17+)
      return;
    }
    handler.expectSslAnswer();
    ByteBuf request = ch.alloc().buffer(8);
    FrontendMessages.sslRequest(request);
    new NettyTransport(ch).send(request);
  }

  @Override
  public void onSslAnswer(byte answer, boolean trailingBytes) {
    if (abandoned) {
      return;
    }
    if (answer == 'S') {
      if (trailingBytes) {
        // CVE-2021-23222: bytes buffered before the handshake were not protected by TLS.
        fail(new ProtocolViolation("server sent unencrypted bytes after accepting SSLRequest"));
        return;
      }
      startTls();
    } else if (answer == 'N') {
      if (server.sslMode() instanceof SslMode.Preferred) {
        listener.onSecured();
      } else {
        fail(new ConnectionFailureReason.SSLServerRefused());
      }
    } else {
      fail(new ProtocolViolation(String.format("unexpected answer 0x%02x to SSLRequest", answer & 0xff)));
    }
  }

  private void startTls() {
    SslMode mode = server.sslMode();
    javax.net.ssl.SSLContext context = mode instanceof SslMode.Required r ? r.context()
        : ((SslMode.Preferred) mode).context();
    SSLEngine engine;
    try {
      engine = context.createSSLEngine(server.host(), server.port());
      engine.setUseClientMode(true);
      SSLParameters params = engine.getSSLParameters();
      if (mode instanceof SslMode.Required r && r.verifyHostname()) {
        params.setEndpointIdentificationAlgorithm("HTTPS");
      }
      if (direct()) {
        // PostgreSQL accepts direct TLS only with this ALPN protocol (guards against cross-protocol attacks).
        params.setApplicationProtocols(new String[] {ALPN});
      }
      engine.setSSLParameters(params);
    } catch (RuntimeException e) {
      fail(new ConnectionFailureReason.TLSHandshakeFailed());
      return;
    }
    sslHandler = new SslHandler(engine);
    channel.pipeline().addFirst("tls", sslHandler);
    sslHandler.handshakeFuture().addListener(done -> {
      if (abandoned) {
        return;
      }
      if (done.isSuccess() && direct() && !ALPN.equals(sslHandler.engine().getApplicationProtocol())) {
        fail(new ConnectionFailureReason.DirectTlsUnsupported()); // a TLS peer that is not PostgreSQL 17+
        channel.close();
      } else if (done.isSuccess()) {
        listener.onSecured();
      } else {
        fail(tlsFailure(done.cause()));
      }
    });
  }

  private boolean direct() {
    return server.sslNegotiation() == SslNegotiation.DIRECT;
  }

  /** A handshake failure; with direct TLS one that is not about certificates means no direct TLS. */
  private ConnectionFailureReason tlsFailure(Throwable cause) {
    ConnectionFailureReason reason = classifyTlsFailure(cause);
    return direct() && reason instanceof ConnectionFailureReason.TLSHandshakeFailed
        ? new ConnectionFailureReason.DirectTlsUnsupported() : reason;
  }

  /**
   * What the SCRAM exchange needs from TLS; call once the connection is secured.
   *
   * @return whether TLS is up, and the tls-server-end-point data of the server's certificate
   */
  public TlsInfo tlsInfo() {
    if (sslHandler == null || !sslHandler.handshakeFuture().isSuccess()) {
      return TlsInfo.NONE;
    }
    byte[] endPoint = null;
    try {
      java.security.cert.Certificate[] chain = sslHandler.engine().getSession().getPeerCertificates();
      if (chain.length > 0 && chain[0] instanceof java.security.cert.X509Certificate leaf) {
        endPoint = org.pgsession.internal.protocol.TlsServerEndPoint.of(leaf);
      }
    } catch (SSLPeerUnverifiedException e) {
      endPoint = null; // anonymous TLS: nothing to bind to
    }
    return new TlsInfo(true, endPoint);
  }

  /** @param cause a handshake failure @return TLSAuthFailed for certificate problems */
  static ConnectionFailureReason classifyTlsFailure(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof CertificateException || t instanceof CertPathValidatorException
          || t instanceof SSLPeerUnverifiedException) {
        return new ConnectionFailureReason.TLSAuthFailed();
      }
      String m = t.getMessage();
      if (m != null && (m.contains("PKIX") || m.contains("subject alternative") || m.contains("certificate_unknown")
          || m.contains("No name matching"))) {
        return new ConnectionFailureReason.TLSAuthFailed();
      }
    }
    return new ConnectionFailureReason.TLSHandshakeFailed();
  }

  private void fail(ConnectionFailureReason reason) {
    if (!abandoned) {
      listener.onConnectFailed(reason);
    }
  }

  @Override
  public void onMessage(BackendMessage message) {
    if (!abandoned) {
      listener.onMessage(message);
    }
  }

  @Override
  public void onProtocolViolation(ProtocolViolationException violation) {
    if (!abandoned) {
      listener.onProtocolViolation(violation);
    }
  }

  @Override
  public void onInactive() {
    if (abandoned) {
      return;
    }
    if (sslHandler != null && sslHandler.handshakeFuture().cause() != null) {
      fail(tlsFailure(sslHandler.handshakeFuture().cause()));
    } else {
      listener.onPeerClosed();
    }
  }

  @Override
  public void onError(Throwable cause) {
    // I/O errors and TLS record errors: close; the inactive event then ends the session once.
    if (channel != null) {
      channel.close();
    }
  }

  @Override
  public void onWritabilityChanged(boolean writable) {
    if (!abandoned) {
      listener.onWritabilityChanged(writable);
    }
  }
}
