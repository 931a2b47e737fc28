package org.pgsession.scripted;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.pgsession.chaos.BackendMessages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A fake PostgreSQL server on a real socket, for tests of what a real server never does.
 * Its message builders come from {@code pgsession-chaos} ({@link BackendMessages}); new tests
 * can use {@link org.pgsession.chaos.FakeBackend} there directly (it adds RST, SCRAM, de-framing).
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
 *     .send(ScriptedServer.authenticationOk(), ScriptedServer.readyForQuery('I'))
 *     .start()) {
 *   Session.connect(ServerConnectInfo.of("127.0.0.1", server.port()), ...);
 * }
 * }</pre>
 */
public final class ScriptedServer implements AutoCloseable {

  /** Protocol code of an SSLRequest packet. */
  public static final int SSL_REQUEST_CODE = 80877103;
  /** Protocol code of a v3.0 StartupMessage. */
  public static final int PROTOCOL_3_0 = 196608;
  /** Protocol code of a v3.2 StartupMessage (what pgsession asks for first). */
  public static final int PROTOCOL_3_2 = 196610;

  private static final int READ_TIMEOUT_MILLIS = 30_000;
  private static final int MAX_FRAME = 1 << 20;

  /**
   * One packet the client sent.
   *
   * @param type the message type byte, or {@code 0} for an untyped startup packet
   *     (SSLRequest, StartupMessage), whose body then starts with the protocol code
   * @param body the bytes after the length field
   */
  public record Received(char type, byte[] body) {
    /** @return for a startup packet: its protocol code (SSLRequest, 3.0, ...) */
    public int protocolCode() {
      return ByteBuffer.wrap(body).getInt(0);
    }

    /** @return whether this is an SSLRequest */
    public boolean isSslRequest() {
      return type == 0 && protocolCode() == SSL_REQUEST_CODE;
    }

    /** @return whether this is a StartupMessage (protocol 3.x) */
    public boolean isStartupMessage() {
      return type == 0 && (protocolCode() >>> 16) == 3;
    }

    /** @return a StartupMessage's parameters, in order */
    public Map<String, String> startupParameters() {
      Map<String, String> params = new LinkedHashMap<>();
      List<String> strings = cStrings(4);
      for (int i = 0; i + 1 < strings.size(); i += 2) {
        params.put(strings.get(i), strings.get(i + 1));
      }
      return params;
    }

    /**
     * @param from offset in the body
     * @return the NUL-terminated strings from there up to the first empty one or the end
     */
    public List<String> cStrings(int from) {
      List<String> out = new ArrayList<>();
      int start = from;
      for (int i = from; i < body.length; i++) {
        if (body[i] == 0) {
          if (i == start) {
            break;
          }
          out.add(new String(body, start, i - start, StandardCharsets.UTF_8));
          start = i + 1;
        }
      }
      return out;
    }

    /** @return a PasswordMessage's password (the body without its terminating NUL) */
    public String password() {
      return new String(body, 0, body.length - 1, StandardCharsets.UTF_8);
    }

    /** @return a SASLInitialResponse's mechanism name */
    public String saslMechanism() {
      return cStrings(0).get(0);
    }

    /** @return a SASLInitialResponse's data, as text */
    public String saslInitialData() {
      int nul = 0;
      while (body[nul] != 0) {
        nul++;
      }
      ByteBuffer b = ByteBuffer.wrap(body, nul + 1, body.length - nul - 1);
      int length = b.getInt();
      return length < 0 ? "" : new String(body, nul + 5, length, StandardCharsets.UTF_8);
    }

    /** @return the whole body as UTF-8 text (SASLResponse data, Query text with its NUL) */
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return (type == 0 ? "startup" : "'" + type + "'") + "[" + body.length + " bytes]";
    }
  }

  /** One step of a script; runs on the server thread. */
  @FunctionalInterface
  public interface Step {
    /** @param connection the accepted connection @throws IOException on I/O problems */
    void run(Connection connection) throws IOException;
  }

  /** The accepted connection, as seen by script steps. */
  public final class Connection {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private Connection(Socket socket) throws IOException {
      this.socket = socket;
      this.in = new DataInputStream(socket.getInputStream());
      this.out = socket.getOutputStream();
    }

    /** @return the next untyped packet (SSLRequest or StartupMessage), recorded */
    public Received readStartup() throws IOException {
      int length = in.readInt();
      checkLength(length);
      byte[] body = new byte[length - 4];
      in.readFully(body);
      return record(new Received((char) 0, body));
    }

    /** @return the next typed frontend message, recorded */
    public Received readMessage() throws IOException {
      int type = in.read();
      if (type < 0) {
        throw new EOFException("client closed the connection while a message was expected");
      }
      int length = in.readInt();
      checkLength(length);
      byte[] body = new byte[length - 4];
      in.readFully(body);
      return record(new Received((char) type, body));
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

    private void checkLength(int length) throws IOException {
      if (length < 4 || length > MAX_FRAME) {
        throw new IOException("implausible frame length from the client: " + length);
      }
    }

    private Received record(Received r) {
      received.add(r);
      return r;
    }
  }

  private final ServerSocket listener;
  private final List<Step> steps = new ArrayList<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
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
      Received r = c.readMessage();
      if (r.type() != type) {
        throw new IOException("expected message '" + type + "', got " + r);
      }
    });
  }

  /** @param chunks bytes to write, concatenated into a single write @return this */
  public ScriptedServer send(byte[]... chunks) {
    byte[] all = concat(chunks);
    return step(c -> c.write(all));
  }

  /** @param type message type @param body message body @return this (writes one framed message) */
  public ScriptedServer sendMessage(char type, byte[] body) {
    return send(message(type, body));
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
      DataInputStream in = new DataInputStream(cancel.getInputStream());
      int length = in.readInt();
      c.checkLength(length);
      byte[] body = new byte[length - 4];
      in.readFully(body);
      received.add(new Received((char) 0, body));
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
  public List<Received> received() {
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

  // ---- backend message builders (from pgsession-chaos; kept here so existing tests compile) ---

  /** @param chunks byte arrays @return them concatenated */
  public static byte[] concat(byte[]... chunks) {
    return BackendMessages.concat(chunks);
  }

  /** @param type type byte @param body body @return the framed message: type, int32 length, body */
  public static byte[] message(char type, byte[] body) {
    return BackendMessages.message(type, body);
  }

  /** @param code authentication code @param extra bytes after it @return an 'R' message */
  public static byte[] authentication(int code, byte[] extra) {
    return BackendMessages.authentication(code, extra);
  }

  /** @param code authentication code, no further data @return an 'R' message */
  public static byte[] authentication(int code) {
    return BackendMessages.authentication(code, new byte[0]);
  }

  /** @return AuthenticationOk */
  public static byte[] authenticationOk() {
    return BackendMessages.authenticationOk();
  }

  /** @return AuthenticationCleartextPassword */
  public static byte[] authenticationCleartext() {
    return BackendMessages.authenticationCleartext();
  }

  /** @param salt 4 bytes @return AuthenticationMD5Password */
  public static byte[] authenticationMd5(byte[] salt) {
    return BackendMessages.authenticationMd5(salt);
  }

  /** @param mechanisms offered SASL mechanisms @return AuthenticationSASL */
  public static byte[] authenticationSasl(String... mechanisms) {
    return BackendMessages.authenticationSasl(mechanisms);
  }

  /** @param data server-first message @return AuthenticationSASLContinue */
  public static byte[] saslContinue(String data) {
    return BackendMessages.saslContinue(data);
  }

  /** @param data server-final message @return AuthenticationSASLFinal */
  public static byte[] saslFinal(String data) {
    return BackendMessages.saslFinal(data);
  }

  /**
   * @param severity S and V fields, e.g. "FATAL"
   * @param code SQLSTATE (C)
   * @param text message (M)
   * @return ErrorResponse
   */
  public static byte[] errorResponse(String severity, String code, String text) {
    return BackendMessages.errorResponse(severity, code, text);
  }

  /** @param status 'I', 'T' or 'E' @return ReadyForQuery */
  public static byte[] readyForQuery(char status) {
    return BackendMessages.readyForQuery(status);
  }

  /** @param values text values, null = SQL NULL @return DataRow */
  public static byte[] dataRow(String... values) {
    return BackendMessages.dataRow(values);
  }

  /** @param pid process id @param secret 4-byte key @return BackendKeyData */
  public static byte[] backendKeyData(int pid, int secret) {
    return BackendMessages.backendKeyData(pid, secret);
  }

  /** @param name parameter @param value its value @return ParameterStatus */
  public static byte[] parameterStatus(String name, String value) {
    return BackendMessages.parameterStatus(name, value);
  }

  /** @param tag command tag @return CommandComplete */
  public static byte[] commandComplete(String tag) {
    return BackendMessages.commandComplete(tag);
  }

  /** @return ParseComplete */
  public static byte[] parseComplete() {
    return BackendMessages.parseComplete();
  }

  /** @return what a successful trust login sends: AuthenticationOk, a few statuses, key, ReadyForQuery */
  public static byte[] loginOk() {
    return BackendMessages.loginOk();
  }

  /** @param s text @return UTF-8 bytes plus NUL */
  public static byte[] cString(String s) {
    return BackendMessages.cString(s);
  }
}
