package org.pgsession.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayDeque;

/** Copies one direction of a proxied connection, applying its current {@link Fault}. */
final class Pump {
  private final FaultProxy.ProxyConnection connection;
  private final Direction direction;
  private final InputStream in;
  private final OutputStream out;
  private final FrameTracker tracker;
  private final ArrayDeque<byte[]> injections = new ArrayDeque<>();
  /** Serialises writes to {@code out}; taken before {@code this}, never while holding it. */
  private final Object outLock = new Object();
  private Fault fault;
  /** For AfterBytes: bytes still to pass; for AfterMessage: matching messages still to pass. */
  private long countdown;
  private long forwarded;
  private long messages;
  private boolean eofSeen;

  Pump(FaultProxy.ProxyConnection connection, Direction direction, InputStream in, OutputStream out,
      FrameTracker tracker, Fault initial) {
    this.connection = connection;
    this.direction = direction;
    this.in = in;
    this.out = out;
    this.tracker = tracker;
    setLocked(initial);
  }

  void start(String name) {
    Thread t = new Thread(this::run, name);
    t.setDaemon(true);
    t.start();
  }

  void set(Fault f) {
    if (f instanceof Fault.Signal signal) {
      set(signal.then());
      signal.action().run();
      return;
    }
    boolean terminate;
    boolean rst = f instanceof Fault.Reset;
    synchronized (this) {
      setLocked(f instanceof Fault.Inject ? Fault.pass() : f);
      notifyAll();
      terminate = f instanceof Fault.Close || rst || (eofSeen && !hidesEof());
    }
    if (terminate) {
      connection.terminate(rst);
    } else if (f instanceof Fault.Inject inject) {
      inject(inject.bytes());
    }
  }

  private void setLocked(Fault f) {
    fault = f;
    if (f instanceof Fault.AfterBytes a) {
      countdown = a.bytes();
    } else if (f instanceof Fault.AfterMessage m) {
      countdown = m.nth();
    }
  }

  void inject(byte[] bytes) {
    synchronized (this) {
      injections.add(bytes);
    }
    flushInjectionsIfBoundary();
  }

  synchronized void wake() {
    notifyAll();
  }

  synchronized long forwarded() {
    return forwarded;
  }

  synchronized long messages() {
    return messages;
  }

  synchronized boolean hidesEof() {
    return fault instanceof Fault.BlackHole || fault instanceof Fault.Stall;
  }

  private void run() {
    byte[] buf = new byte[16 * 1024];
    try {
      while (connection.isOpen()) {
        awaitNotStalled();
        int n = in.read(buf);
        if (n < 0) {
          synchronized (this) {
            eofSeen = true;
          }
          connection.endOfStream(this);
          awaitNotStalledForever();
          return;
        }
        awaitNotStalled(); // switched to stall while blocked: hold this chunk too
        int from = 0;
        while (from < n && connection.isOpen()) {
          synchronized (outLock) { // framing and writing in one step, so injections land on boundaries
            from = step(buf, from, n);
          }
        }
      }
    } catch (IOException e) {
      connection.terminate(false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private synchronized void awaitNotStalled() throws InterruptedException {
    while (fault instanceof Fault.Stall && connection.isOpen()) {
      wait(100);
    }
  }

  /** After EOF in a hiding direction: keep the connection up until the fault changes or it ends. */
  private synchronized void awaitNotStalledForever() throws InterruptedException {
    while (connection.isOpen() && hidesEof()) {
      wait(100);
    }
  }

  /**
   * Applies the current fault to a prefix of bytes [i, end) (up to a point where the fault may
   * switch); the caller holds {@code outLock}.
   *
   * @return how far it got
   */
  private int step(byte[] b, int i, int end) throws IOException, InterruptedException {
    {
      Fault f;
      synchronized (this) {
        f = fault;
      }
      if (f instanceof Fault.Close || f instanceof Fault.Reset) {
        connection.terminate(f instanceof Fault.Reset);
        return end;
      }
      if (f instanceof Fault.Stall) {
        awaitNotStalled();
        return i;
      }
      if (f instanceof Fault.AfterBytes) {
        long left;
        synchronized (this) {
          left = countdown;
        }
        int take = (int) Math.min(left, end - i);
        forward(b, i, i + take, f);
        i += take;
        boolean fire = false;
        synchronized (this) {
          if (fault == f) {
            countdown -= take;
            fire = countdown <= 0;
          }
        }
        if (fire) {
          switchFrom(f, ((Fault.AfterBytes) f).then());
        }
        return i;
      }
      if (f instanceof Fault.AfterMessage m) {
        int stop = end;
        int scan = i;
        boolean fire = false;
        synchronized (this) {
          while (scan < end) {
            int next = tracker.next(b, scan, end);
            if (next < 0) {
              scan = end;
              break;
            }
            messages++;
            scan = next;
            if (m.type() == Fault.ANY || tracker.lastType() == m.type()) {
              if (--countdown <= 0) {
                fire = true;
                stop = next;
                break;
              }
            }
          }
        }
        writeRaw(b, i, stop, Fault.pass());
        i = stop;
        flushInjectionsIfBoundary();
        if (fire) {
          switchFrom(f, m.then());
        }
        return i;
      }
      // steady faults: track framing for boundaries, then forward or drop
      synchronized (this) {
        int scan = i;
        while (scan < end) {
          int next = tracker.next(b, scan, end);
          if (next < 0) {
            break;
          }
          messages++;
          scan = next;
        }
      }
      forward(b, i, end, f);
      flushInjectionsIfBoundary();
      return end;
    }
  }

  /** Forwards bytes whose framing the caller tracks itself (AfterBytes counts raw bytes). */
  private void forward(byte[] b, int from, int to, Fault f) throws IOException, InterruptedException {
    if (f instanceof Fault.AfterBytes) {
      synchronized (this) {
        int scan = from;
        while (scan < to) {
          int next = tracker.next(b, scan, to);
          if (next < 0) {
            break;
          }
          messages++;
          scan = next;
        }
      }
      writeRaw(b, from, to, Fault.pass());
    } else {
      writeRaw(b, from, to, f);
    }
  }

  private void writeRaw(byte[] b, int from, int to, Fault f) throws IOException, InterruptedException {
    if (from >= to || f instanceof Fault.BlackHole) {
      return;
    }
    if (f instanceof Fault.Delay d) {
      Thread.sleep(d.delay().toMillis());
    }
    if (f instanceof Fault.Trickle t) {
      for (int k = from; k < to && connection.isOpen(); k++) {
        synchronized (outLock) {
          out.write(b[k]);
          out.flush();
        }
        count(1);
        Thread.sleep(t.gap().toMillis());
      }
      return;
    }
    synchronized (outLock) {
      out.write(b, from, to - from);
      out.flush();
    }
    count(to - from);
  }

  private synchronized void count(int n) {
    forwarded += n;
  }

  /** A trigger fired: switch to {@code next} unless someone switched away from {@code from} meanwhile. */
  private void switchFrom(Fault from, Fault next) {
    synchronized (this) {
      if (fault != from) {
        return;
      }
    }
    set(next);
  }

  private void flushInjectionsIfBoundary() {
    synchronized (outLock) {
      byte[][] pending;
      synchronized (this) {
        if (injections.isEmpty() || !tracker.atBoundary()) {
          return;
        }
        pending = injections.toArray(new byte[0][]);
        injections.clear();
      }
      try {
        for (byte[] bytes : pending) {
          out.write(bytes);
        }
        out.flush();
      } catch (IOException e) {
        // the connection is going away; the pump notices on its next read or write
      }
    }
  }

  @Override
  public String toString() {
    return "pump " + direction;
  }
}
