package org.pgsession.scripted;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.pgsession.chaos.BackendMessages;
import org.pgsession.chaos.FrontendMessage;
import org.pgsession.chaos.FrontendReader;

/**
 * A fake PostgreSQL server on a real socket, for tests of what a real server never does.
 * A thin script runner over the chaos kit ({@code pgsession-chaos}): messages are built with
 * {@link BackendMessages}, the client's bytes de-framed by {@link FrontendReader} into
 * {@link FrontendMessage}s; new tests can use {@link org.pgsession.chaos.FakeBackend} directly
 * (it adds RST and SCRAM).
 *
 * <p>It listens on {@code 127.0.0.1} at a random port, accepts exactly one connection and plays
 * a script on a background daemon thread: read the client's startup packet, read typed frontend
 * messages, write bytes (framed messages, or raw junk), close the connection. Everything the
 * client sends is recorded for assertions ({@link #received()}); once the script has run out,
 * the server stays silent and records any further bytes ({@link #trailingBytes()}) until the
 * client closes the connection ({@link #awaitClientClosed}).
 *
 * <p>Build the script first, then {@link #start()}; connect the session to {@link #port()}.
 * Always close the server (try-with-resources): {@link #close()} closes every socket, which
 * unblocks the thread; every read also has a bounded timeout, so no thread outlives its test
 * for long.
 *
 * <pre>{@code
 * try (ScriptedServer server = new ScriptedServer()
 *     .expectStartup()
 *     .send(BackendMessages.authenticationOk(), BackendMessages.readyForQuery('I'))
 *     .start()) {
 *   Session.connect(ServerConnectInfo.of("127.0.0.1", server.port()), ...);
 * }
 * }</pre>
 */
public final class ScriptedServer implements AutoCloseable {

  private static final int READ_TIMEOUT_MILLIS = 30_000;
  private static final int MAX_FRAME = 1 << 20;

  /** One step of a script; runs on the server thread. */
  @FunctionalInterface
  public interface Step {
    /** @param connection the accepted connection @throws IOException on I/O problems */
    void run(Connection connection) throws IOException;
  }

  /** The accepted connection, as seen by script steps; de-framed by the chaos kit's {@link FrontendReader}. */
  public final class Connection {
    private final Socket socket;
    private final FrontendReader in;
    private final OutputStream out;

    private Connection(Socket socket) throws IOException {
      this.socket = socket;
      this.in = new FrontendReader(socket.getInputStream(), MAX_FRAME);
      this.out = socket.getOutputStream();
    }

    /** @return the next untyped packet (SSLRequest or StartupMessage), recorded */
    public FrontendMessage readStartup() throws IOException {
      return record(in.readStartup());
    }

    /** @return the next typed frontend message, recorded */
    public FrontendMessage readMessage() throws IOException {
      return record(in.readMessage());
    }

    /** @param bytes written in one write and flushed */
    public void write(byte[] bytes) throws IOException {
      out.write(bytes);
      out.flush();
    }

    /** Closes the connection (FIN; no goodbye message). */
    public void close() throws IOException {
      socket.close();
    }

    private FrontendMessage record(FrontendMessage r) {
      received.add(r);
      return r;
    }
  }

  private final ServerSocket listener;
  private final List<Step> steps = new ArrayList<>();
  private final List<FrontendMessage> received = new CopyOnWriteArrayList<>();
  private final List<Socket> extraSockets = new CopyOnWriteArrayList<>();
  private final ByteArrayOutputStream trailing = new ByteArrayOutputStream();
  private final CountDownLatch scriptDone = new CountDownLatch(1);
  private final CountDownLatch clientClosed = new CountDownLatch(1);
  private final CountDownLatch accepted = new CountDownLatch(1);
  private volatile Throwable scriptError;
  private volatile Socket socket;
  private volatile boolean closing;
  private Thread thread;

  /** Binds 127.0.0.1 on a random free port (nothing is accepted before {@link #start}). */
  public ScriptedServer() {
    try {
      listener = new ServerSocket();
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
      listener.setSoTimeout(READ_TIMEOUT_MILLIS);
    } catch (IOException e) {
      throw new IllegalStateException("cannot bind the scripted server", e);
    }
  }

  // ---- script building ----------------------------------------------------------------------

  /** @param step a custom step @return this */
  public ScriptedServer step(Step step) {
    steps.add(step);
    return this;
  }

  /** Reads one untyped packet: an SSLRequest or a StartupMessage. @return this */
  public ScriptedServer expectStartup() {
    return step(Connection::readStartup);
  }

  /** Reads one typed frontend message, whatever its type. @return this */
  public ScriptedServer expectMessage() {
    return step(Connection::readMessage);
  }

  /**
   * Reads one typed frontend message and fails the script unless it has this type.
   *
   * @param type the expected type byte, e.g. {@code 'p'} or {@code 'Q'}
   * @return this
   */
  public ScriptedServer expectMessage(char type) {
    return step(c -> {
      FrontendMessage r = c.readMessage();
      if (r.type() != type) {
        throw new IOException("expected message '" + type + "', got " + r);
      }
    });
  }

  /** @param chunks bytes to write, concatenated into a single write @return this */
  public ScriptedServer send(byte[]... chunks) {
    byte[] all = BackendMessages.concat(chunks);
    return step(c -> c.write(all));
  }

  /** @param type message type @param body message body @return this (writes one framed message) */
  public ScriptedServer sendMessage(char type, byte[] body) {
    return send(BackendMessages.message(type, body));
  }

  /** Closes the connection abruptly (no ErrorResponse, no goodbye). @return this */
  public ScriptedServer closeConnection() {
    return step(Connection::close);
  }

  /**
   * Keeps the connection open and sends nothing more (what the server does anyway once the
   * script runs out; this step only makes the intent explicit). @return this
   */
  public ScriptedServer silent() {
    return this;
  }

  /**
   * Waits (up to the read timeout) until the latch opens, sending nothing meanwhile.
   *
   * @param latch opened by the test
   * @return this
   */
  public ScriptedServer holdUntil(CountDownLatch latch) {
    return step(c -> {
      try {
        if (!latch.await(READ_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
          throw new IOException("hold: the test never released the script");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted");
      }
    });
  }

  /**
   * Accepts a second connection (a CancelRequest), reads its one packet, records it like a
   * startup packet, and then never closes it: a server that does not end cancel connections.
   * It is closed only by the client or by {@link #close()}.
   *
   * @return this
   */
  public ScriptedServer acceptCancelAndKeepItOpen() {
    return step(c -> {
      Socket cancel = listener.accept();
      extraSockets.add(cancel);
      cancel.setSoTimeout(READ_TIMEOUT_MILLIS);
      received.add(new FrontendReader(cancel.getInputStream(), MAX_FRAME).readStartup());
    });
  }

  /** Starts accepting on a daemon thread. @return this */
  public ScriptedServer start() {
    thread = new Thread(this::run, "scripted-server-" + port());
    thread.setDaemon(true);
    thread.start();
    return this;
  }

  // ---- observation --------------------------------------------------------------------------

  /** @return the port to connect to */
  public int port() {
    return listener.getLocalPort();
  }

  /** @return every packet received so far, in order */
  public List<FrontendMessage> received() {
    return List.copyOf(received);
  }

  /** @return bytes received after the script ran out, until the client closed */
  public byte[] trailingBytes() {
    synchronized (trailing) {
      return trailing.toByteArray();
    }
  }

  /** @return whether a client connection was accepted */
  public boolean wasAccepted() {
    return accepted.getCount() == 0;
  }

  /**
   * Waits until every step has run, and rethrows a step's failure.
   *
   * @param timeout deadline
   */
  public void awaitScript(Duration timeout) {
    await(scriptDone, timeout, "the script to finish");
    if (scriptError != null) {
      throw new AssertionError("script failed: " + scriptError, scriptError);
    }
  }

  /**
   * Waits until the script ran out and the client then closed the connection (EOF).
   *
   * @param timeout deadline
   */
  public void awaitClientClosed(Duration timeout) {
    await(clientClosed, timeout, "the client to close the connection");
  }

  /** Stops everything: closes the connection and the listener, bounded join of the thread. */
  @Override
  public void close() {
    closing = true;
    closeQuietly(socket);
    extraSockets.forEach(ScriptedServer::closeQuietly);
    try {
      listener.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    if (thread != null) {
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void run() {
    try {
      Socket s = listener.accept();
      socket = s;
      accepted.countDown();
      if (closing) {
        closeQuietly(s);
        return;
      }
      s.setSoTimeout(READ_TIMEOUT_MILLIS);
      s.setTcpNoDelay(true);
      Connection connection = new Connection(s);
      for (Step step : steps) {
        step.run(connection);
      }
      scriptDone.countDown();
      drain(s);
    } catch (IOException | RuntimeException e) {
      if (!closing) {
        scriptError = e;
      }
    } finally {
      scriptDone.countDown();
      closeQuietly(socket);
    }
  }

  /** After the script: record whatever arrives, until EOF (the client closed). */
  private void drain(Socket s) throws IOException {
    if (s.isClosed()) {
      return;
    }
    byte[] buf = new byte[8192];
    var in = s.getInputStream();
    while (true) {
      int n;
      try {
        n = in.read(buf);
      } catch (SocketException e) {
        // connection reset by the client counts as closed
        clientClosed.countDown();
        return;
      }
      if (n < 0) {
        clientClosed.countDown();
        return;
      }
      synchronized (trailing) {
        trailing.write(buf, 0, n);
      }
    }
  }

  private static void await(CountDownLatch latch, Duration timeout, String what) {
    try {
      if (!latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting for " + what);
    }
  }

  private static void closeQuietly(Socket s) {
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // best effort
      }
    }
  }
}
