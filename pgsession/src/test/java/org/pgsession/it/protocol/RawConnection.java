package org.pgsession.it.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.pgsession.internal.protocol.BackendMessage;
import org.pgsession.internal.protocol.BackendParser;
import org.pgsession.internal.protocol.FrontendMessages;
import org.pgsession.internal.protocol.Md5Password;
import org.pgsession.internal.protocol.ScramExchange;
import org.pgsession.internal.protocol.ScramFailure;

/**
 * Test-only blocking client over a plain socket that uses nothing but the protocol layer:
 * FrontendMessages to write, BackendParser to read.
 */
final class RawConnection implements AutoCloseable {
  private Socket socket;
  private InputStream in;
  private OutputStream out;
  private final BackendParser parser =
      new BackendParser(BackendParser.DEFAULT_MAX_MESSAGE_LENGTH);
  private final ByteBuf cumulation = Unpooled.buffer();
  private final byte[] readBuffer = new byte[8192];
  /** Authentication requests seen during login, in order. */
  final List<BackendMessage> authRequests = new ArrayList<>();
  /** BackendKeyData seen during login. */
  BackendMessage.BackendKeyData keyData;
  /** NegotiateProtocolVersion seen during login, if any. */
  BackendMessage.NegotiateProtocolVersion negotiation;

  RawConnection(String host, int port) throws IOException {
    socket = new Socket(host, port);
    socket.setSoTimeout(30_000); // a hung test fails instead of blocking the build
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  /** Sends SSLRequest and returns the single answer byte. */
  int sslRequest() throws IOException {
    send(FrontendMessages::sslRequest);
    int b = in.read();
    if (b < 0) {
      throw new EOFException("no answer to SSLRequest");
    }
    return b;
  }

  /** Layers TLS over the socket (after an 'S' answer). */
  void startTls(SSLContext context, String host, int port) throws IOException {
    SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, host, port, true);
    tls.startHandshake();
    socket = tls;
    in = tls.getInputStream();
    out = tls.getOutputStream();
  }

  void send(Consumer<ByteBuf> writer) throws IOException {
    ByteBuf buf = Unpooled.buffer();
    try {
      writer.accept(buf);
      buf.readBytes(out, buf.readableBytes());
      out.flush();
    } finally {
      buf.release();
    }
  }

  BackendMessage next() throws IOException {
    while (true) {
      BackendMessage m = parser.decode(cumulation);
      if (m != null) {
        // A DataRow is a view over the cumulation, reused by the parser: keep a copy.
        if (m instanceof BackendMessage.DataRow row) {
          m = row.copy();
        }
        cumulation.discardSomeReadBytes();
        return m;
      }
      int n = in.read(readBuffer);
      if (n < 0) {
        throw new EOFException("server closed the connection");
      }
      cumulation.writeBytes(readBuffer, 0, n);
    }
  }

  /** Reads messages up to and including ReadyForQuery. */
  List<BackendMessage> untilReady() throws IOException {
    List<BackendMessage> ms = new ArrayList<>();
    BackendMessage m;
    do {
      m = next();
      if (!(m instanceof BackendMessage.NoticeResponse)
          && !(m instanceof BackendMessage.ParameterStatus)) {
        ms.add(m);
      }
    } while (!(m instanceof BackendMessage.ReadyForQuery));
    return ms;
  }

  /**
   * Logs in. Returns null on success (after ReadyForQuery), or the ErrorResponse the server
   * sent instead.
   */
  BackendMessage.ErrorResponse login(String user, String password, int minor,
      Map<String, String> extra) throws IOException, ScramFailure {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("user", user);
    params.put("database", "postgres");
    params.putAll(extra);
    send(b -> FrontendMessages.startupMessage(b, 3, minor, params));
    ScramExchange scram = null;
    while (true) {
      BackendMessage m = next();
      if (m instanceof BackendMessage.ErrorResponse e) {
        return e;
      } else if (m instanceof BackendMessage.AuthenticationCleartextPassword) {
        authRequests.add(m);
        send(b -> FrontendMessages.passwordMessage(b, password));
      } else if (m instanceof BackendMessage.AuthenticationMD5Password md5) {
        authRequests.add(m);
        send(b -> FrontendMessages.passwordMessage(b, Md5Password.hash(user, password,
            md5.salt())));
      } else if (m instanceof BackendMessage.AuthenticationSASL sasl) {
        authRequests.add(m);
        if (!ScramExchange.supported(sasl.mechanisms())) {
          throw new IllegalStateException("no SCRAM-SHA-256 in " + sasl.mechanisms());
        }
        ScramExchange s = new ScramExchange("*", password, ScramExchange.DEFAULT_MAX_ITERATIONS);
        scram = s;
        send(b -> FrontendMessages.saslInitialResponse(b, ScramExchange.MECHANISM,
            s.clientFirstMessage()));
      } else if (m instanceof BackendMessage.AuthenticationSASLContinue c) {
        authRequests.add(m);
        byte[] clientFinal = scram.clientFinalMessage(c.data());
        send(b -> FrontendMessages.saslResponse(b, clientFinal));
      } else if (m instanceof BackendMessage.AuthenticationSASLFinal f) {
        authRequests.add(m);
        scram.verifyServerFinal(f.data());
      } else if (m instanceof BackendMessage.AuthenticationOk) {
        authRequests.add(m);
      } else if (m instanceof BackendMessage.BackendKeyData k) {
        keyData = k;
      } else if (m instanceof BackendMessage.NegotiateProtocolVersion v) {
        negotiation = v;
      } else if (m instanceof BackendMessage.ReadyForQuery) {
        return null;
      } else if (!(m instanceof BackendMessage.ParameterStatus)
          && !(m instanceof BackendMessage.NoticeResponse)) {
        throw new IllegalStateException("unexpected during login: " + m);
      }
    }
  }

  @Override
  public void close() throws IOException {
    try {
      if (!socket.isClosed()) {
        try {
          send(FrontendMessages::terminate);
        } catch (IOException ignored) {
          // the server may already have closed the connection
        }
      }
    } finally {
      cumulation.release();
      socket.close();
    }
  }
}
