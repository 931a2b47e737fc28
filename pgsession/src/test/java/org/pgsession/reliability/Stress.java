package org.pgsession.reliability;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.pgsession.PreparedQuery;
import org.pgsession.ServerConnectInfo;
import org.pgsession.Session;
import org.pgsession.SessionOptions;
import org.pgsession.SimpleQuery;
import org.pgsession.SslMode;
import org.pgsession.chaos.Direction;
import org.pgsession.chaos.Fault;
import org.pgsession.chaos.FaultProxy;
import org.pgsession.invariants.SessionInvariants;
import org.pgsession.invariants.Watch;
import org.pgsession.it.Sessions;
import org.pgsession.testkit.PgCluster;

/**
 * Random actions across a fixed number of session slots behind one {@link FaultProxy}: queries,
 * prepares, streams, copies, pipelines, cancels, closes, and faults switched on the proxy. A
 * slot whose session has ended reconnects. Every receiver is watched; the caller checks the
 * watches (exactly-once terminal callbacks) after closing everything.
 */
final class Stress implements AutoCloseable {
  /** Most operations one slot may have outstanding (keeps queues, and memory, bounded). */
  private static final int MAX_OUTSTANDING = 6;

  private final SessionInvariants invariants;
  private final FaultProxy proxy;
  private final Random rnd;
  private final Slot[] slots;
  private final AtomicLong actions = new AtomicLong();
  private final AtomicLong reconnects = new AtomicLong();
  private final SessionOptions options = SessionOptions.defaults().withCancelGracePeriod(Duration.ofMillis(300));

  private final class Slot {
    final int index;
    Session session;
    Watch watch;
    final List<Watch.Tracked> ops = new java.util.concurrent.CopyOnWriteArrayList<>();
    int generation;

    Slot(int index) {
      this.index = index;
    }

    long outstanding() {
      ops.removeIf(Watch.Tracked::done); // the watch keeps judging them; this list only counts
      return ops.size();
    }
  }

  Stress(SessionInvariants invariants, PgCluster cluster, int sessions, long seed) {
    this.invariants = invariants;
    try (Admin admin = Admin.on(cluster)) {
      admin.sql("CREATE TABLE IF NOT EXISTS chaos_stress (a int4)");
    }
    this.proxy = FaultProxy.start(new InetSocketAddress(cluster.host(), cluster.port()));
    this.rnd = new Random(seed);
    this.slots = new Slot[sessions];
    for (int i = 0; i < sessions; i++) {
      slots[i] = new Slot(i);
      connect(slots[i]);
    }
  }

  private void connect(Slot slot) {
    slot.generation++;
    slot.watch = invariants.watch("slot " + slot.index + "." + slot.generation);
    slot.ops.clear();
    ServerConnectInfo server = ServerConnectInfo.of(proxy.host(), proxy.port()).withSslMode(SslMode.disabled())
        .withConnectionTimeout(Duration.ofSeconds(20));
    slot.session = invariants.connect(server, Sessions.superuser(), options, slot.watch);
  }

  /**
   * Lets go of what has ended: watches already settled (judged now, see
   * {@link SessionInvariants#forgetSettled}) and the proxy's ended connections.
   */
  void forgetEnded() {
    invariants.forgetSettled();
    proxy.forgetEnded();
  }

  /** @return actions performed so far */
  long actions() {
    return actions.get();
  }

  /** @return sessions re-opened after they ended */
  long reconnects() {
    return reconnects.get();
  }

  /** Performs one random action on a random slot (or waits a moment if that slot is busy). */
  void step() throws InterruptedException {
    Slot slot = slots[rnd.nextInt(slots.length)];
    if (slot.watch.isShutdown()) {
      reconnects.incrementAndGet();
      connect(slot);
      actions.incrementAndGet();
      return;
    }
    if (!slot.watch.ready() || slot.outstanding() >= MAX_OUTSTANDING) {
      Thread.sleep(0, 200_000);
      return;
    }
    act(slot, rnd.nextInt(100));
    actions.incrementAndGet();
  }

  private void act(Slot slot, int dice) {
    Session s = slot.session;
    Watch w = slot.watch;
    Duration timeout = rnd.nextInt(10) == 0 ? Duration.ofMillis(200 + rnd.nextInt(300)) : null;
    String n = "op" + actions.get();
    if (dice < 25) {
      track(slot, w.result(n), r -> s.execute(new SimpleQuery("SELECT " + rnd.nextInt(1000)), r, timeout));
    } else if (dice < 45) {
      track(slot, w.result(n), r -> s.execute(PreparedQuery.of("SELECT $1::int4 + 1", rnd.nextInt(1000)), r, timeout));
    } else if (dice < 52) {
      track(slot, w.prepare(n), r -> s.prepare("st" + rnd.nextInt(4), "SELECT " + rnd.nextInt(4), r, timeout));
    } else if (dice < 60) {
      track(slot, w.stream(n), r -> s.stream(PreparedQuery.of("SELECT generate_series(1, $1::int4)", 1 + rnd.nextInt(40)),
          1 + rnd.nextInt(10), r, timeout));
    } else if (dice < 67) {
      track(slot, w.copyOut(n), r -> s.copyOut("COPY (SELECT generate_series(1, 20)) TO STDOUT", r, timeout));
    } else if (dice < 73) {
      java.util.concurrent.atomic.AtomicBoolean sent = new java.util.concurrent.atomic.AtomicBoolean();
      track(slot, w.copyIn(n, session -> {
        if (sent.compareAndSet(false, true)) {
          session.sendCopyData("1\n2\n".getBytes(StandardCharsets.US_ASCII));
          session.finishCopy();
        }
      }), r -> s.copyIn("COPY chaos_stress FROM STDIN", r, timeout));
    } else if (dice < 83) {
      track(slot, w.pipeline(n, 3), r -> s.pipeline(List.of(PreparedQuery.of("SELECT 1"),
          PreparedQuery.of("SELECT 1/0"), PreparedQuery.of("SELECT 3")), r, timeout));
    } else if (dice < 96) {
      s.cancel();
    } else if (dice < 97) {
      s.close();
    } else {
      fault(slot);
    }
  }

  private void fault(Slot slot) {
    FaultProxy.ProxyConnection c = proxy.connections().stream()
        .skip(rnd.nextInt(Math.max(1, proxy.connections().size()))).findFirst().orElse(null);
    if (c == null) {
      return;
    }
    Direction d = rnd.nextBoolean() ? Direction.CLIENT_TO_SERVER : Direction.SERVER_TO_CLIENT;
    Fault f = switch (rnd.nextInt(7)) {
      case 0 -> Fault.close();
      case 1 -> Fault.reset();
      case 2 -> Fault.closeAfterBytes(rnd.nextInt(200));
      case 3 -> Fault.resetAfterMessage(Fault.ANY, 1 + rnd.nextInt(5));
      case 4 -> Fault.delay(Duration.ofMillis(1 + rnd.nextInt(5)));
      case 5 -> Fault.afterBytes(rnd.nextInt(100), Fault.trickle());
      default -> Fault.pass();
    };
    c.fault(d, f);
  }

  private static <R> void track(Slot slot, Watch.Watched<R> watched, java.util.function.Consumer<R> start) {
    slot.ops.add(watched.tracked());
    start.accept(watched.receiver());
  }

  /** Heals the proxy (so trickled connections finish) and closes every session. */
  @Override
  public void close() {
    proxy.heal();
    for (Slot s : slots) {
      s.session.close();
    }
    FaultMatrixTest.poll(SessionInvariants.SETTLE, () -> java.util.Arrays.stream(slots).allMatch(s -> s.watch.isShutdown()));
    proxy.close();
  }
}
