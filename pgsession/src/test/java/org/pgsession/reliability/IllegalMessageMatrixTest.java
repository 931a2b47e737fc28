package org.pgsession.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pgsession.chaos.BackendMessages.*;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pgsession.AuthRequirement;
import org.pgsession.ClientQueryError;
import org.pgsession.DatabaseConnectInfo;
import org.pgsession.PreparedQuery;
import org.pgsession.ProtocolViolation;
import org.pgsession.ServerConnectInfo;
import org.pgsession.Session;
import org.pgsession.SessionOptions;
import org.pgsession.SimpleQuery;
import org.pgsession.SslMode;
import org.pgsession.chaos.FakeBackend;
import org.pgsession.chaos.FrontendMessage;
import org.pgsession.invariants.SessionInvariants;
import org.pgsession.invariants.Watch;

/**
 * Every backend message type, sent by a scripted server in every session state where the
 * protocol does not allow it, must end the operation (or the connection attempt) with a
 * {@link ProtocolViolation} and shut the session down: exactly one terminal callback, one
 * {@code pgSessionShutdown}, the socket released.
 */
class IllegalMessageMatrixTest {
  private static final Duration DEADLINE = Duration.ofSeconds(15);

  @RegisterExtension
  final SessionInvariants invariants = new SessionInvariants();

  /** A sample of every backend message type, by type byte. */
  static final Map<Character, byte[]> SAMPLES = new LinkedHashMap<>();

  static {
    SAMPLES.put('R', authenticationOk());
    SAMPLES.put('K', backendKeyData(1, 2));
    SAMPLES.put('2', bindComplete());
    SAMPLES.put('3', closeComplete());
    SAMPLES.put('C', commandComplete("SELECT 0"));
    SAMPLES.put('d', copyData("x".getBytes(StandardCharsets.US_ASCII)));
    SAMPLES.put('c', copyDone());
    SAMPLES.put('G', copyInResponse(1));
    SAMPLES.put('H', copyOutResponse(1));
    SAMPLES.put('W', copyBothResponse(1));
    SAMPLES.put('D', dataRow("1"));
    SAMPLES.put('I', emptyQueryResponse());
    SAMPLES.put('E', errorResponse("ERROR", "XX000", "out of place"));
    SAMPLES.put('v', negotiateProtocolVersion(0));
    SAMPLES.put('n', noData());
    SAMPLES.put('t', parameterDescription(23));
    SAMPLES.put('1', parseComplete());
    SAMPLES.put('s', portalSuspended());
    SAMPLES.put('Z', readyForQuery('I'));
    SAMPLES.put('T', rowDescription(Column.text("a")));
  }

  /** Session states, each with the message types that are legal there (everything else is not). */
  enum State {
    AUTHENTICATION("REvN"),
    AFTER_AUTHENTICATION_OK("KZEvN"),
    IDLE("N"),
    SIMPLE_QUERY("TDCIEZNGH"),
    EXTENDED_QUERY("123tTnDCIEZsN"), // 3: see STREAM
    PREPARE("1tTnEZN"),
    CLOSE_STATEMENT("3EZN"),
    STREAM("123tTnDCIEZsN"), // 3: answers the Close of an evicted cached statement, written ahead of any op
    PIPELINE("12tTnDCIEZsN"),
    COPY_OUT("dcCEZN"),
    COPY_IN("CEZN");

    final String legal;

    State(String legal) {
      this.legal = legal;
    }
  }

  static Stream<Arguments> cells() {
    List<Arguments> out = new ArrayList<>();
    for (State s : State.values()) {
      for (char type : SAMPLES.keySet()) {
        if (s.legal.indexOf(type) < 0) {
          out.add(Arguments.of(s, type));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{1} in {0}")
  @MethodSource("cells")
  void illegalMessageIsAProtocolViolation(State state, char type) {
    byte[] illegal = SAMPLES.get(type);
    try (FakeBackend server = script(state, illegal).start()) {
      Watch watch = invariants.watch(type + " in " + state);
      ServerConnectInfo to = ServerConnectInfo.of("127.0.0.1", server.port()).withSslMode(SslMode.disabled())
          .withAuthRequirement(AuthRequirement.ALLOW_ANY).withConnectionTimeout(Duration.ofSeconds(30));
      Session s = invariants.connect(to, new DatabaseConnectInfo("alice", "pw", "db"), SessionOptions.defaults(),
          watch);
      List<Watch.Tracked> ops = new ArrayList<>();
      if (state != State.AUTHENTICATION && state != State.AFTER_AUTHENTICATION_OK) {
        assertThat(FaultMatrixTest.poll(DEADLINE, () -> watch.ready() || watch.isShutdown())).isTrue();
        assertThat(watch.ready()).as("ready: %s", watch).isTrue();
        start(state, s, watch, ops);
      }
      boolean settled = FaultMatrixTest.poll(DEADLINE, () -> watch.isShutdown() && ops.stream().allMatch(Watch.Tracked::done));
      assertThat(settled).as("settled within %s: %s", DEADLINE, watch).isTrue();
      assertThat(watch.violations()).isEmpty();
      if (state == State.AUTHENTICATION || state == State.AFTER_AUTHENTICATION_OK) {
        assertThat(watch.failures).as("%s", watch).singleElement().isInstanceOf(ProtocolViolation.class);
      }
      for (Watch.Tracked op : ops) {
        // the operation behind a violating closeStatement (which has no receiver) never ran
        Class<?> expected = state == State.CLOSE_STATEMENT ? ClientQueryError.SessionClosed.class : ProtocolViolation.class;
        assertThat(op.failure()).as("%s: %s", op, watch).isInstanceOf(expected);
      }
    }
  }

  private static void start(State state, Session s, Watch w, List<Watch.Tracked> ops) {
    switch (state) {
      case IDLE -> { }
      case SIMPLE_QUERY -> track(ops, w.result("simple"), r -> s.execute(new SimpleQuery("SELECT 1"), r));
      case EXTENDED_QUERY -> track(ops, w.result("extended"), r -> s.execute(PreparedQuery.of("SELECT $1::int4", 1), r));
      case PREPARE -> track(ops, w.prepare("prepare"), r -> s.prepare("st", "SELECT 1", r));
      case CLOSE_STATEMENT -> {
        s.closeStatement("st");
        track(ops, w.result("after-close"), r -> s.execute(new SimpleQuery("SELECT 1"), r));
      }
      case STREAM -> track(ops, w.stream("stream"), r -> s.stream(PreparedQuery.of("SELECT 1"), 10, r));
      case PIPELINE -> track(ops, w.pipeline("pipeline", 2), r -> s.pipeline(
          List.of(PreparedQuery.of("SELECT 1"), PreparedQuery.of("SELECT 2")), r));
      case COPY_OUT -> track(ops, w.copyOut("copy-out"), r -> s.copyOut("COPY t TO STDOUT", r));
      case COPY_IN -> track(ops, w.copyIn("copy-in", session -> { }), r -> s.copyIn("COPY t FROM STDIN", r));
      default -> throw new IllegalStateException(state.name());
    }
  }

  private static <R> void track(List<Watch.Tracked> ops, Watch.Watched<R> watched, java.util.function.Consumer<R> start) {
    ops.add(watched.tracked());
    start.accept(watched.receiver());
  }

  /** The scripted server: log in, drive the client into the state, then send the illegal message. */
  private static FakeBackend script(State state, byte[] illegal) {
    FakeBackend b = new FakeBackend().expectStartup();
    switch (state) {
      case AUTHENTICATION -> b.send(illegal);
      case AFTER_AUTHENTICATION_OK -> b.send(authenticationOk(), illegal);
      default -> {
        b.send(loginOk());
        switch (state) {
          case IDLE -> b.send(illegal);
          case SIMPLE_QUERY -> b.expectMessage('Q').send(illegal);
          case COPY_OUT -> b.expectMessage('Q').send(copyOutResponse(1), illegal);
          case COPY_IN -> b.expectMessage('Q').send(copyInResponse(1), illegal);
          default -> b.step(c -> {
            FrontendMessage m;
            do {
              m = c.readMessage();
            } while (m.type() != 'S' && m.type() != 'H');
          }).send(illegal);
        }
      }
    }
    return b;
  }
}
