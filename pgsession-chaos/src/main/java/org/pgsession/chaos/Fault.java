package org.pgsession.chaos;

import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link FaultProxy} does with the bytes of one direction. Faults are immutable values;
 * switch them on a running connection with {@link FaultProxy.ProxyConnection#fault} (or for every
 * connection with {@link FaultProxy#fault}). Triggered faults ({@link #afterBytes},
 * {@link #afterMessage}) count from the moment they are set.
 */
public sealed interface Fault {

  /** Message type wildcard for {@link #afterMessage}: any message counts. */
  char ANY = '*';
  /** Message type of an untyped startup packet (SSLRequest, StartupMessage, CancelRequest) or of the SSL answer byte. */
  char UNTYPED = 0;

  /** Forwards everything at once. */
  record Pass() implements Fault {}

  /** @param gap pause after each forwarded byte (forces the peer to see 1-byte reads) */
  record Trickle(Duration gap) implements Fault {}

  /** Reads and discards everything: the sender believes it was delivered, nothing arrives (not even EOF). */
  record BlackHole() implements Fault {}

  /** Stops reading: the sender's socket buffers fill up (a peer that stopped reading). */
  record Stall() implements Fault {}

  /** Closes both sockets with a FIN as soon as a byte arrives in this direction (or at once when set). */
  record Close() implements Fault {}

  /** Resets both sockets (RST, SO_LINGER 0) as soon as a byte arrives in this direction (or at once when set). */
  record Reset() implements Fault {}

  /** @param delay pause before each forwarded chunk (order is kept) */
  record Delay(Duration delay) implements Fault {}

  /** @param bytes written once into this direction at the next message boundary, then {@link Pass} */
  record Inject(byte[] bytes) implements Fault {}

  /**
   * Runs {@code action} once (on the proxy's thread, when this fault is switched to), then
   * switches to {@code then}. Lets a trigger in one direction change the other direction or
   * wake a test: {@code afterMessage('Q', 1, signal(latch::countDown, pass()))}.
   *
   * @param action what to run; must not block for long
   * @param then the fault after it
   */
  record Signal(Runnable action, Fault then) implements Fault {}

  /**
   * Forwards {@code bytes} more bytes, then switches to {@code then}.
   *
   * @param bytes how many bytes still pass
   * @param then the fault after them
   */
  record AfterBytes(long bytes, Fault then) implements Fault {}

  /**
   * Forwards up to and including the {@code nth} whole message of {@code type} (counted from now),
   * then switches to {@code then}.
   *
   * @param type message type byte, {@link #ANY} or {@link #UNTYPED}
   * @param nth which occurrence, from 1
   * @param then the fault after it
   */
  record AfterMessage(char type, int nth, Fault then) implements Fault {}

  /** @return forward everything */
  static Fault pass() {
    return new Pass();
  }

  /** @return forward one byte per write, 1 ms apart */
  static Fault trickle() {
    return new Trickle(Duration.ofMillis(1));
  }

  /** @return discard everything */
  static Fault blackHole() {
    return new BlackHole();
  }

  /** @return stop reading */
  static Fault stall() {
    return new Stall();
  }

  /** @return close the connection (FIN) */
  static Fault close() {
    return new Close();
  }

  /** @return reset the connection (RST) */
  static Fault reset() {
    return new Reset();
  }

  /** @param delay pause before each chunk @return a delaying fault */
  static Fault delay(Duration delay) {
    return new Delay(Objects.requireNonNull(delay));
  }

  /** @param bytes the bytes to inject at the next message boundary @return the fault */
  static Fault inject(byte[] bytes) {
    return new Inject(bytes.clone());
  }

  /** @param action run once when switched to @param then next fault @return the signalling fault */
  static Fault signal(Runnable action, Fault then) {
    return new Signal(Objects.requireNonNull(action), Objects.requireNonNull(then));
  }

  /** @param n bytes that still pass @return close after them */
  static Fault closeAfterBytes(long n) {
    return new AfterBytes(n, close());
  }

  /** @param n bytes that still pass @return reset after them */
  static Fault resetAfterBytes(long n) {
    return new AfterBytes(n, reset());
  }

  /** @param type message type @param nth occurrence @return close right after that message */
  static Fault closeAfterMessage(char type, int nth) {
    return new AfterMessage(type, nth, close());
  }

  /** @param type message type @param nth occurrence @return reset right after that message */
  static Fault resetAfterMessage(char type, int nth) {
    return new AfterMessage(type, nth, reset());
  }

  /** @param n bytes that still pass @param then next fault @return the triggered fault */
  static Fault afterBytes(long n, Fault then) {
    return new AfterBytes(n, then);
  }

  /** @param type message type @param nth occurrence @param then next fault @return the triggered fault */
  static Fault afterMessage(char type, int nth, Fault then) {
    if (nth < 1) {
      throw new IllegalArgumentException("nth counts from 1: " + nth);
    }
    return new AfterMessage(type, nth, then);
  }
}
