package org.pgsession.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pgsession.ServerConnectInfo;
import org.pgsession.Session;
import org.pgsession.SessionOptions;
import org.pgsession.SimpleQuery;
import org.pgsession.SslMode;
import org.pgsession.chaos.BackendMessages;
import org.pgsession.chaos.Direction;
import org.pgsession.chaos.Fault;
import org.pgsession.chaos.FaultProxy;
import org.pgsession.invariants.SessionInvariants;
import org.pgsession.invariants.Watch;
import org.pgsession.it.Await;
import org.pgsession.it.NotifyRecorder;
import org.pgsession.it.ResultRecorder;
import org.pgsession.it.Sessions;
import org.pgsession.testkit.PgCluster;
import org.pgsession.testkit.PgTestExtension;
import org.pgsession.testkit.TestClusters;

/**
 * An asynchronous message (NoticeResponse, ParameterStatus, NotificationResponse) injected by the
 * proxy between every pair of consecutive server messages of every flow (login and each
 * operation kind) on the real cluster: the flow must end exactly as without it (success, session
 * still up) and the message must be delivered once to the session's callbacks.
 */
@ExtendWith(PgTestExtension.class)
class AsyncInjectionMatrixTest {
  private static final Duration DEADLINE = Duration.ofSeconds(15);

  @RegisterExtension
  final SessionInvariants invariants = new SessionInvariants();

  /** The flows: the login, then one operation of each kind. */
  enum Flow {
    LOGIN(null), SIMPLE_QUERY(Phase.SIMPLE_QUERY), EXTENDED_QUERY(Phase.EXTENDED_QUERY), PREPARE(Phase.PREPARE),
    CLOSE_STATEMENT(Phase.CLOSE_STATEMENT), STREAM(Phase.STREAM), COPY_IN(Phase.COPY_IN), COPY_OUT(Phase.COPY_OUT),
    PIPELINE(Phase.PIPELINE);

    final Phase phase;

    Flow(Phase phase) {
      this.phase = phase;
    }
  }

  /** The injected messages. */
  enum Async {
    NOTICE(BackendMessages.notice("chaos notice")),
    PARAMETER_STATUS(BackendMessages.parameterStatus("chaos_param", "injected")),
    NOTIFICATION(BackendMessages.notification(4242, "chaos", "injected"));

    final byte[] bytes;

    Async(byte[] bytes) {
      this.bytes = bytes;
    }

    boolean delivered(Watch w) {
      return switch (this) {
        case NOTICE -> w.notices.stream().filter(n -> "chaos notice".equals(n.message())).count() == 1;
        case PARAMETER_STATUS -> w.parameters.stream().filter(p -> "chaos_param".equals(p.name())).count() == 1;
        case NOTIFICATION -> w.notifications.stream().filter(n -> "injected".equals(n.payload())).count() == 1;
      };
    }
  }

  static Stream<Arguments> cells() {
    Map<Flow, Long> counts = probe();
    List<Arguments> out = new ArrayList<>();
    for (Flow f : Flow.values()) {
      for (long k = 1; k < counts.get(f); k++) {
        for (Async a : Async.values()) {
          out.add(Arguments.of(f, k, a));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{2} after server message {1} of {0}")
  @MethodSource("cells")
  void asyncMessageChangesNothing(Flow flow, long k, Async async) {
    PgCluster cluster = TestClusters.plain();
    try (FaultProxy proxy = FaultProxy.start(new InetSocketAddress(cluster.host(), cluster.port()))) {
      Fault inject = Fault.afterMessage(Fault.ANY, (int) k, Fault.inject(async.bytes));
      if (flow == Flow.LOGIN) {
        proxy.fault(Direction.SERVER_TO_CLIENT, inject);
      }
      Watch watch = invariants.watch(async + " after " + k + " of " + flow);
      Cell cell = new Cell(FaultKind.CLOSE, flow.phase, proxy, watch); // kind unused: no timeout, no fault
      cell.session = invariants.connect(server(proxy), Sessions.superuser(), SessionOptions.defaults(), watch);
      Await.until("ready " + watch, DEADLINE, () -> watch.ready() || watch.isShutdown());
      assertThat(watch.ready()).as("ready: %s", watch).isTrue();
      if (flow != Flow.LOGIN) {
        setUp(cell);
        cell.connection().fault(Direction.SERVER_TO_CLIENT, inject);
        flow.phase.drive(cell);
      }
      boolean settled = FaultMatrixTest.poll(DEADLINE,
          () -> cell.ops.stream().allMatch(Watch.Tracked::done) && async.delivered(watch));
      assertThat(settled).as("settled and delivered within %s: %s", DEADLINE, watch).isTrue();
      for (Watch.Tracked op : cell.ops) {
        assertThat(op.failure()).as("%s: %s", op, watch).isNull();
      }
      assertThat(watch.isShutdown()).as("still up: %s", watch).isFalse();
      assertThat(watch.violations()).as("before close only the shutdown count may be off")
          .allMatch(v -> v.contains("pgSessionShutdown fired 0 times"));
    }
  }

  private static ServerConnectInfo server(FaultProxy proxy) {
    return ServerConnectInfo.of(proxy.host(), proxy.port()).withSslMode(SslMode.disabled())
        .withConnectionTimeout(Duration.ofSeconds(30));
  }

  private static void setUp(Cell cell) {
    if (cell.phase.needsTable()) {
      Watch.Watched<org.pgsession.ResultReceiver> r = cell.watch.result("setup");
      cell.session.execute(new SimpleQuery("CREATE TEMP TABLE chaos_t (a int4)"), r.receiver());
      Await.until("setup", DEADLINE, () -> r.tracked().done());
    }
  }

  /** Runs every flow once without injection and counts its server messages. */
  private static Map<Flow, Long> probe() {
    Map<Flow, Long> counts = new EnumMap<>(Flow.class);
    PgCluster cluster = TestClusters.plain();
    for (Flow f : Flow.values()) {
      try (FaultProxy proxy = FaultProxy.start(new InetSocketAddress(cluster.host(), cluster.port()))) {
        NotifyRecorder n = new NotifyRecorder();
        Watch watch = new SessionInvariants().watch("probe " + f);
        Session s = Session.connect(server(proxy), Sessions.superuser(), watch);
        try {
          Await.until("probe ready", DEADLINE, watch::ready);
          FaultProxy.ProxyConnection c = proxy.connections().get(0);
          if (f == Flow.LOGIN) {
            counts.put(f, c.messages(Direction.SERVER_TO_CLIENT));
            continue;
          }
          Cell cell = new Cell(FaultKind.CLOSE, f.phase, proxy, watch);
          cell.session = s;
          setUp(cell);
          long before = c.messages(Direction.SERVER_TO_CLIENT);
          f.phase.drive(cell);
          Await.until("probe " + f, DEADLINE, () -> cell.ops.stream().allMatch(Watch.Tracked::done));
          // the flow's last message (ReadyForQuery) may still be on its way to the counter
          ResultRecorder barrier = new ResultRecorder();
          s.execute(new SimpleQuery("SELECT 1"), barrier);
          barrier.awaitResult();
          counts.put(f, c.messages(Direction.SERVER_TO_CLIENT) - before - 4); // minus the barrier's T D C Z
        } finally {
          s.close();
          Await.until("probe shutdown", DEADLINE, watch::isShutdown);
          n.events.clear();
        }
      }
    }
    return counts;
  }
}
