package org.pgsession.invariants;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
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
 * <p>Use as {@code @RegisterExtension final SessionInvariants invariants = new SessionInvariants();},
 * or as {@code @ExtendWith(SessionInvariants.class)} for the resource checks alone, which then
 * also run after the class (sessions kept across tests, closed in {@code @AfterAll}). Netty
 * LEAK reports are checked for every test by {@link LeakCheck}, the tests' own recorders by
 * {@link RecorderCheck}.
 */
public final class SessionInvariants implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
    AfterEachCallback {
  /** How long teardown waits for sessions to settle and resources to be released. */
  public static final Duration SETTLE = Duration.ofSeconds(20);

  private final List<Watch> watches = new CopyOnWriteArrayList<>();
  private final List<Session> sessions = new CopyOnWriteArrayList<>();
  private final java.util.Map<Watch, Session> sessionOf = new java.util.concurrent.ConcurrentHashMap<>();
  /** Broken promises of watches judged early by {@link #forgetSettled}; reported at teardown. */
  private final List<String> judgedEarly = new CopyOnWriteArrayList<>();
  private int channelsBefore;
  private int timersBefore;
  private int classChannelsBefore;
  private int classTimersBefore;

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
    sessionOf.put(watch, s);
    return s;
  }

  /**
   * Judges every watch that has settled (its session shut down, every receiver ended) now and
   * lets it, and its session, go: a long run (the soak) then holds only its live sessions, so
   * its heap shows the driver, not this bookkeeping. Broken promises found are reported at
   * teardown like the others; a callback arriving after a watch was judged is not seen.
   *
   * @return how many watches were let go
   */
  public int forgetSettled() {
    int n = 0;
    for (Watch w : watches) {
      if (w.settled()) {
        for (String v : w.violations()) {
          judgedEarly.add(v + " — log " + w.log);
        }
        watches.remove(w);
        Session s = sessionOf.remove(w);
        if (s != null) {
          sessions.remove(s);
        }
        n++;
      }
    }
    return n;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    classChannelsBefore = LiveResources.openChannels();
    classTimersBefore = LiveResources.pendingTimers();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    RecorderCheck.closeClassSessions(); // sessions kept across tests by their recorders
    List<String> problems = new ArrayList<>();
    if (!await(() -> LiveResources.openChannels() <= classChannelsBefore)) {
      problems.add("open driver channels after the class: " + LiveResources.openChannels() + ", before it "
          + classChannelsBefore);
    }
    if (!await(() -> LiveResources.pendingTimers() <= classTimersBefore)) {
      problems.add("pending driver timers after the class: " + LiveResources.pendingTimers() + ", before it "
          + classTimersBefore);
    }
    if (!problems.isEmpty()) {
      throw new AssertionError("session invariants broken:\n  " + String.join("\n  ", problems));
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    channelsBefore = LiveResources.openChannels();
    timersBefore = LiveResources.pendingTimers();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    RecorderCheck.closeTestSessions(); // sessions of the test's recorders, before counting channels
    for (Session s : sessions) {
      s.close();
    }
    List<String> problems = new ArrayList<>(judgedEarly);
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
    sessionOf.clear();
    judgedEarly.clear();
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
