package org.pgsession.invariants;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.pgsession.DatabaseConnectInfo;
import org.pgsession.ServerConnectInfo;
import org.pgsession.Session;
import org.pgsession.SessionOptions;
import org.pgsession.internal.transport.LiveResources;
import org.pgsession.types.CodecRegistry;

/**
 * JUnit extension holding the driver's end-of-test promises for every session opened through it
 * ({@link #connect}) and every receiver made by its {@link Watch}es: after the test each session
 * is closed, then within a deadline it must have fired exactly one {@code pgSessionShutdown},
 * every receiver exactly one terminal callback and nothing after it, and the driver must have
 * no more open channels and pending timers than before the test.
 *
 * <p>Use as {@code @RegisterExtension final SessionInvariants invariants = new SessionInvariants();}.
 * Netty LEAK reports are checked for every test by {@link LeakCheck}.
 */
public final class SessionInvariants implements BeforeEachCallback, AfterEachCallback {
  /** How long teardown waits for sessions to settle and resources to be released. */
  public static final Duration SETTLE = Duration.ofSeconds(20);

  private final List<Watch> watches = new CopyOnWriteArrayList<>();
  private final List<Session> sessions = new CopyOnWriteArrayList<>();
  private int channelsBefore;
  private int timersBefore;

  /** @param name the session's name in messages @return a new watch, checked at teardown */
  public Watch watch(String name) {
    Watch w = new Watch(name);
    watches.add(w);
    return w;
  }

  /**
   * Connects a session reporting to {@code watch}; it is closed and checked at teardown.
   *
   * @param server where
   * @param db who
   * @param options settings
   * @param watch its watch (from {@link #watch})
   * @return the session
   */
  public Session connect(ServerConnectInfo server, DatabaseConnectInfo db, SessionOptions options, Watch watch) {
    Session s = Session.connect(server, db, watch, CodecRegistry.defaults(), options);
    sessions.add(s);
    return s;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    channelsBefore = LiveResources.openChannels();
    timersBefore = LiveResources.pendingTimers();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    for (Session s : sessions) {
      s.close();
    }
    List<String> problems = new ArrayList<>();
    await(() -> watches.stream().allMatch(Watch::settled));
    for (Watch w : watches) {
      for (String v : w.violations()) {
        problems.add(v + " — log " + w.log);
      }
    }
    if (!await(() -> LiveResources.openChannels() <= channelsBefore)) {
      problems.add("open driver channels: " + LiveResources.openChannels() + ", before the test " + channelsBefore);
    }
    if (!await(() -> LiveResources.pendingTimers() <= timersBefore)) {
      problems.add("pending driver timers: " + LiveResources.pendingTimers() + ", before the test " + timersBefore);
    }
    watches.clear();
    sessions.clear();
    if (!problems.isEmpty()) {
      throw new AssertionError("session invariants broken:\n  " + String.join("\n  ", problems));
    }
  }

  /** @return whether the condition held within {@link #SETTLE} */
  static boolean await(BooleanSupplier condition) {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }
}
