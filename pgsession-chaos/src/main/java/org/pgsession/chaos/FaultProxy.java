package org.pgsession.chaos;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A TCP proxy between a PostgreSQL client and a server that injects faults per direction:
 * pass, 1-byte trickle, black hole, stall, close, RST, close or RST after N bytes or after the
 * Nth message of a type, delay, byte injection at a message boundary. Faults can be switched
 * while the connection runs; the proxy follows the v3 framing (startup packets, SSL answer,
 * then typed messages; opaque after TLS starts) so triggers fire exactly at message boundaries.
 *
 * <p>Listens on 127.0.0.1 at a random port; every accepted connection is forwarded to the
 * target with two daemon threads. Use try-with-resources: {@link #close()} closes every socket.
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.start(new InetSocketAddress("127.0.0.1", 5432))) {
 *   proxy.fault(Direction.CLIENT_TO_SERVER, Fault.closeAfterMessage('Q', 1));
 *   // connect the client to 127.0.0.1:proxy.port() ...
 * }
 * }</pre>
 */
public final class FaultProxy implements AutoCloseable {
  private final InetSocketAddress target;
  private final ServerSocket listener;
  private final List<ProxyConnection> connections = new CopyOnWriteArrayList<>();
  private volatile int forgotten;
  private final AtomicInteger accepted = new AtomicInteger();
  private volatile Fault clientDefault = Fault.pass();
  private volatile Fault serverDefault = Fault.pass();
  private volatile boolean closed;

  private FaultProxy(InetSocketAddress target) throws IOException {
    this.target = target;
    this.listener = new ServerSocket();
    listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    Thread t = new Thread(this::acceptLoop, "fault-proxy-accept-" + listener.getLocalPort());
    t.setDaemon(true);
    t.start();
  }

  /**
   * Starts a proxy to {@code target}.
   *
   * @param target the real server
   * @return the running proxy
   */
  public static FaultProxy start(InetSocketAddress target) {
    try {
      return new FaultProxy(Objects.requireNonNull(target));
    } catch (IOException e) {
      throw new IllegalStateException("cannot bind the fault proxy", e);
    }
  }

  /** @return the local port clients connect to */
  public int port() {
    return listener.getLocalPort();
  }

  /** @return the host clients connect to ({@code 127.0.0.1}) */
  public String host() {
    return listener.getInetAddress().getHostAddress();
  }

  /**
   * Sets the fault of one direction for every live connection and every later one.
   *
   * @param direction which direction
   * @param fault the new fault
   * @return this
   */
  public FaultProxy fault(Direction direction, Fault fault) {
    Objects.requireNonNull(fault);
    if (direction == Direction.CLIENT_TO_SERVER) {
      clientDefault = fault;
    } else {
      serverDefault = fault;
    }
    for (ProxyConnection c : connections) {
      c.fault(direction, fault);
    }
    return this;
  }

  /** Sets both directions back to {@link Fault#pass()} for live and later connections. @return this */
  public FaultProxy heal() {
    fault(Direction.CLIENT_TO_SERVER, Fault.pass());
    return fault(Direction.SERVER_TO_CLIENT, Fault.pass());
  }

  /** @return every connection not yet ended, oldest first */
  public List<ProxyConnection> connections() {
    return connections.stream().filter(ProxyConnection::isOpen).toList();
  }

  /** @return how many connections were accepted so far */
  public int acceptedCount() {
    return accepted.get();
  }

  /** @return the most recently accepted connection still open, or null */
  public ProxyConnection latest() {
    List<ProxyConnection> open = connections();
    return open.isEmpty() ? null : open.get(open.size() - 1);
  }

  /**
   * Waits until {@code n} connections were accepted in total.
   *
   * @param n the count
   * @param timeout deadline
   * @return the latest connection
   */
  public ProxyConnection awaitAccepted(int n, Duration timeout) {
    waitFor(() -> accepted.get() >= n, timeout, n + " accepted connections");
    if (forgotten > 0) {
      throw new IllegalStateException("ended connections were forgotten; the n-th accepted is not known");
    }
    return connections.get(n - 1);
  }

  /**
   * Drops the connections that have ended from the proxy's history, so a long run (a soak)
   * does not hold every socket it ever proxied. {@link #awaitAccepted} cannot be used after.
   *
   * @return how many were dropped
   */
  public int forgetEnded() {
    List<ProxyConnection> ended = connections.stream().filter(c -> !c.isOpen()).toList();
    connections.removeAll(ended);
    forgotten += ended.size();
    return ended.size();
  }

  /** @param timeout deadline; waits until every connection has ended */
  public void awaitNoConnections(Duration timeout) {
    waitFor(() -> connections().isEmpty(), timeout, "every proxied connection to end");
  }

  /** Closes the listener and every connection. */
  @Override
  public void close() {
    closed = true;
    try {
      listener.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    for (ProxyConnection c : connections) {
      c.terminate(false);
    }
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return; // listener closed
      }
      try {
        Socket server = new Socket();
        server.connect(target, 10_000);
        client.setTcpNoDelay(true);
        server.setTcpNoDelay(true);
        ProxyConnection c = new ProxyConnection(client, server, clientDefault, serverDefault);
        connections.add(c);
        accepted.incrementAndGet();
        c.start();
      } catch (IOException e) {
        closeQuietly(client);
      }
    }
  }

  static void waitFor(BooleanSupplier condition, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what);
      }
    }
  }

  static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // best effort
    }
  }

  /** One proxied client connection: its two directions and their faults. */
  public static final class ProxyConnection {
    private final Socket client;
    private final Socket server;
    private final Pump up;
    private final Pump down;
    private volatile boolean open = true;

    ProxyConnection(Socket client, Socket server, Fault upFault, Fault downFault) throws IOException {
      this.client = client;
      this.server = server;
      FrameTracker[] trackers = FrameTracker.pair();
      this.up = new Pump(this, Direction.CLIENT_TO_SERVER, client.getInputStream(), server.getOutputStream(),
          trackers[0], upFault);
      this.down = new Pump(this, Direction.SERVER_TO_CLIENT, server.getInputStream(), client.getOutputStream(),
          trackers[1], downFault);
    }

    void start() {
      up.start("fault-proxy-up-" + client.getPort());
      down.start("fault-proxy-down-" + client.getPort());
    }

    /**
     * Switches one direction's fault now (a fault that acts when set, like close, acts at once).
     *
     * @param direction which direction
     * @param fault the new fault
     * @return this
     */
    public ProxyConnection fault(Direction direction, Fault fault) {
      pump(direction).set(fault);
      return this;
    }

    /**
     * Writes bytes into one direction at the next message boundary (at once when idle).
     *
     * @param direction which direction
     * @param bytes what to write
     * @return this
     */
    public ProxyConnection inject(Direction direction, byte[] bytes) {
      pump(direction).inject(bytes.clone());
      return this;
    }

    /** @param direction which direction @return bytes forwarded in it so far */
    public long forwardedBytes(Direction direction) {
      return pump(direction).forwarded();
    }

    /** @param direction which direction @return whole messages seen in it so far */
    public long messages(Direction direction) {
      return pump(direction).messages();
    }

    /** @return the local port of the proxy's socket to the server (the server's {@code client_port}) */
    public int serverSideLocalPort() {
      return server.getLocalPort();
    }

    /** Closes both sockets (FIN). */
    public void close() {
      terminate(false);
    }

    /** Resets both sockets (RST). */
    public void reset() {
      terminate(true);
    }

    /** @return whether the connection is still up on the proxy's side */
    public boolean isOpen() {
      return open;
    }

    /** @param timeout deadline; waits until the connection has ended (either side closed) */
    public void awaitClosed(Duration timeout) {
      waitFor(() -> !open, timeout, "the proxied connection to end");
    }

    private Pump pump(Direction d) {
      return d == Direction.CLIENT_TO_SERVER ? up : down;
    }

    synchronized void terminate(boolean rst) {
      if (!open) {
        return;
      }
      open = false;
      if (rst) {
        try {
          client.setSoLinger(true, 0);
          server.setSoLinger(true, 0);
        } catch (IOException ignored) {
          // closing anyway
        }
      }
      closeQuietly(client);
      closeQuietly(server);
      up.wake();
      down.wake();
    }

    /** EOF from one side: forwarded as a close unless that direction hides it. */
    void endOfStream(Pump from) {
      if (!from.hidesEof()) {
        terminate(false);
      }
    }
  }
}
