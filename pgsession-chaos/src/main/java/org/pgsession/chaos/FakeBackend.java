package org.pgsession.chaos;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A scripted fake PostgreSQL server on a real socket, for what a real server never does.
 *
 * <p>Listens on {@code 127.0.0.1} at a random port, accepts exactly one connection and plays a
 * script on a daemon thread: read startup packets and typed frontend messages (recorded for
 * assertions, {@link #received()}), write bytes (built with {@link BackendMessages} or raw junk),
 * run a SCRAM exchange ({@link #scramLogin}), close or reset the connection. Once the script has
 * run out the server stays silent and records further bytes ({@link #trailingBytes()}) until the
 * client closes ({@link #awaitClientClosed}). Always close it (try-with-resources); every read
 * has a bounded timeout, so no thread outlives its test for long.
 */
public class FakeBackend implements AutoCloseable {
  private static final int READ_TIMEOUT_MILLIS = 30_000;
  private static final int MAX_FRAME = 1 << 20;

  /** One step of a script; runs on the server thread. */
  @FunctionalInterface
  public interface Step {
    /** @param connection the accepted connection @throws IOException on I/O problems */
    void run(Connection connection) throws IOException;
  }

  /** The accepted connection, as seen by script steps. */
  public final class Connection {
    private final Socket socket;
    private final FrontendReader reader;
    private final OutputStream out;

    Connection(Socket socket) throws IOException {
      this.socket = socket;
      this.reader = new FrontendReader(socket.getInputStream(), MAX_FRAME);
      this.out = socket.getOutputStream();
    }

    /** @return the next untyped packet, recorded @throws IOException on EOF */
    public FrontendMessage readStartup() throws IOException {
      return record(reader.readStartup());
    }

    /** @return the next typed frontend message, recorded @throws IOException on EOF */
    public FrontendMessage readMessage() throws IOException {
      return record(reader.readMessage());
    }

    /**
     * Reads typed messages until one of this type arrives (Sync, Flush, ...).
     *
     * @param type the type byte
     * @return that message
     * @throws IOException on EOF
     */
    public FrontendMessage readUntil(char type) throws IOException {
      FrontendMessage m;
      do {
        m = readMessage();
      } while (m.type() != type);
      return m;
    }

    /** @param bytes written in one write and flushed @throws IOException on I/O problems */
    public void write(byte[] bytes) throws IOException {
      out.write(bytes);
      out.flush();
    }

    /** Closes the connection (FIN; no goodbye message). @throws IOException on I/O problems */
    public void close() throws IOException {
      socket.close();
    }

    /** Resets the connection (RST). @throws IOException on I/O problems */
    public void reset() throws IOException {
      socket.setSoLinger(true, 0);
      socket.close();
    }

    private FrontendMessage record(FrontendMessage m) {
      received.add(m);
      return m;
    }
  }

  private final ServerSocket listener;
  private final List<Step> steps = new ArrayList<>();
  private final List<FrontendMessage> received = new CopyOnWriteArrayList<>();
  private final ByteArrayOutputStream trailing = new ByteArrayOutputStream();
  private final CountDownLatch scriptDone = new CountDownLatch(1);
  private final CountDownLatch clientClosed = new CountDownLatch(1);
  private final CountDownLatch accepted = new CountDownLatch(1);
  private volatile Throwable scriptError;
  private volatile Socket socket;
  private volatile boolean closing;
  private Thread thread;

  /** Binds 127.0.0.1 on a random free port (nothing is accepted before {@link #start}). */
  public FakeBackend() {
    try {
      listener = new ServerSocket();
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
      listener.setSoTimeout(READ_TIMEOUT_MILLIS);
    } catch (IOException e) {
      throw new IllegalStateException("cannot bind the fake backend", e);
    }
  }

  /** @param step a custom step @return this */
  public FakeBackend step(Step step) {
    steps.add(step);
    return this;
  }

  /** Reads one untyped packet: an SSLRequest or a StartupMessage. @return this */
  public FakeBackend expectStartup() {
    return step(Connection::readStartup);
  }

  /** Reads one typed frontend message, whatever its type. @return this */
  public FakeBackend expectMessage() {
    return step(Connection::readMessage);
  }

  /** @param type expected type byte; the script fails on another @return this */
  public FakeBackend expectMessage(char type) {
    return step(c -> {
      FrontendMessage r = c.readMessage();
      if (r.type() != type) {
        throw new IOException("expected message '" + type + "', got " + r);
      }
    });
  }

  /** @param type reads messages until one of this type (e.g. 'S' for Sync) @return this */
  public FakeBackend expectUntil(char type) {
    return step(c -> c.readUntil(type));
  }

  /** @param chunks bytes to write, concatenated into a single write @return this */
  public FakeBackend send(byte[]... chunks) {
    byte[] all = BackendMessages.concat(chunks);
    return step(c -> c.write(all));
  }

  /**
   * Runs a whole SCRAM-SHA-256 login: AuthenticationSASL, reads the initial response, answers
   * with server-first, checks the proof, sends server-final and AuthenticationOk (or a FATAL
   * 28P01 if the proof is wrong). Follow with status messages and ReadyForQuery.
   *
   * @param password the password the client must prove
   * @return this
   */
  public FakeBackend scramLogin(String password) {
    return step(c -> {
      c.write(BackendMessages.authenticationSasl("SCRAM-SHA-256"));
      FrontendMessage initial = c.readMessage();
      ScramServer scram = new ScramServer(password, "chaos-salt".getBytes(StandardCharsets.UTF_8), 4096,
          "fakebackend");
      c.write(BackendMessages.saslContinue(scram.serverFirst(initial.saslInitialData())));
      FrontendMessage fin = c.readMessage();
      var result = scram.serverFinal(fin.text());
      if (result.isEmpty()) {
        c.write(BackendMessages.errorResponse("FATAL", "28P01", "password authentication failed"));
        c.close();
        return;
      }
      c.write(BackendMessages.concat(BackendMessages.saslFinal(result.get()), BackendMessages.authenticationOk()));
    });
  }

  /** Closes the connection abruptly (FIN, no ErrorResponse). @return this */
  public FakeBackend closeConnection() {
    return step(Connection::close);
  }

  /** Resets the connection (RST). @return this */
  public FakeBackend resetConnection() {
    return step(Connection::reset);
  }

  /** @param latch waits (up to the read timeout) until the test opens it @return this */
  public FakeBackend holdUntil(CountDownLatch latch) {
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

  /** Starts accepting on a daemon thread. @return this */
  public FakeBackend start() {
    thread = new Thread(this::run, "fake-backend-" + port());
    thread.setDaemon(true);
    thread.start();
    return this;
  }

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

  /** @param timeout deadline; waits until every step ran and rethrows a step's failure */
  public void awaitScript(Duration timeout) {
    await(scriptDone, timeout, "the script to finish");
    if (scriptError != null) {
      throw new AssertionError("script failed: " + scriptError, scriptError);
    }
  }

  /** @param timeout deadline; waits until the script ran out and the client then closed (EOF or RST) */
  public void awaitClientClosed(Duration timeout) {
    await(clientClosed, timeout, "the client to close the connection");
  }

  /** @return whether the client closed the connection after the script */
  public boolean clientClosed() {
    return clientClosed.getCount() == 0;
  }

  /** Stops everything: closes the connection and the listener, bounded join of the thread. */
  @Override
  public void close() {
    closing = true;
    closeQuietly(socket);
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

  private void drain(Socket s) throws IOException {
    if (s.isClosed()) {
      return;
    }
    byte[] buf = new byte[8192];
    InputStream in = s.getInputStream();
    while (true) {
      int n;
      try {
        n = in.read(buf);
      } catch (SocketException e) {
        clientClosed.countDown(); // a reset by the client counts as closed
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
