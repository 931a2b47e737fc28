package org.pgsession.scripted;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A fake server for what {@link ScriptedServer} cannot play: several connections in a row (a
 * reconnect) and TLS after an SSLRequest. Each accepted connection runs the next
 * {@link Handler}; every packet read through {@link Conn} is recorded in {@link #received}.
 */
final class SocketScript implements AutoCloseable {
  /** One connection's script. */
  interface Handler {
    /** @param c the connection @throws IOException on socket failures */
    void run(Conn c) throws IOException;
  }

  /** One accepted connection (plaintext, or TLS once {@link #acceptTls} ran). */
  final class Conn {
    private Socket socket;
    private DataInputStream in;
    private OutputStream out;

    Conn(Socket socket) throws IOException {
      use(socket);
    }

    private void use(Socket s) throws IOException {
      socket = s;
      s.setSoTimeout(30_000);
      in = new DataInputStream(s.getInputStream());
      out = s.getOutputStream();
    }

    /** @return an untyped packet (SSLRequest, StartupMessage) */
    org.pgsession.chaos.FrontendMessage readStartup() throws IOException {
      int len = in.readInt();
      byte[] body = new byte[len - 4];
      in.readFully(body);
      return record(new org.pgsession.chaos.FrontendMessage((char) 0, body));
    }

    /** @return a typed frontend message */
    org.pgsession.chaos.FrontendMessage readMessage() throws IOException {
      char type = (char) in.readUnsignedByte();
      int len = in.readInt();
      byte[] body = new byte[len - 4];
      in.readFully(body);
      return record(new org.pgsession.chaos.FrontendMessage(type, body));
    }

    /** Reads the SSLRequest, answers 'S' and runs the server side of the TLS handshake. */
    void acceptTls(SSLContext context) throws IOException {
      org.pgsession.chaos.FrontendMessage r = readStartup();
      if (!r.isSslRequest()) {
        throw new IOException("expected SSLRequest, got " + r);
      }
      out.write('S');
      out.flush();
      SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket,
          socket.getInetAddress().getHostAddress(), socket.getPort(), true);
      tls.setUseClientMode(false);
      tls.startHandshake();
      use(tls);
    }

    void write(byte[]... chunks) throws IOException {
      out.write(org.pgsession.chaos.BackendMessages.concat(chunks));
      out.flush();
    }

    /** Waits until the client closes (reads to end of stream). */
    void awaitEnd() throws IOException {
      try {
        while (in.read() >= 0) {
          // discard
        }
      } catch (IOException closed) {
        // reset or timeout: the connection is over either way
      }
    }

    void close() throws IOException {
      socket.close();
    }
  }

  final List<org.pgsession.chaos.FrontendMessage> received = new CopyOnWriteArrayList<>();
  final List<Throwable> errors = new CopyOnWriteArrayList<>();
  private final ServerSocket listener;
  private final Thread thread;

  SocketScript(Handler... handlers) {
    try {
      listener = new ServerSocket();
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
      listener.setSoTimeout(30_000);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    thread = new Thread(() -> {
      for (Handler h : handlers) {
        try (Socket s = listener.accept()) {
          h.run(new Conn(s));
        } catch (IOException | RuntimeException e) {
          if (!listener.isClosed()) {
            errors.add(e);
          }
          return;
        }
      }
    }, "socket-script");
    thread.setDaemon(true);
    thread.start();
  }

  private org.pgsession.chaos.FrontendMessage record(org.pgsession.chaos.FrontendMessage r) {
    received.add(r);
    return r;
  }

  int port() {
    return listener.getLocalPort();
  }

  /** @param r a startup packet @return its protocol code */
  static int code(org.pgsession.chaos.FrontendMessage r) {
    return ByteBuffer.wrap(r.body()).getInt(0);
  }

  @Override
  public void close() {
    try {
      listener.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
