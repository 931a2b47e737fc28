package org.pgsession.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The proxy against the fake backend: framing-aware triggers, injection, resets, black holes. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FaultProxyTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static byte[] startup() {
    byte[] params = BackendMessages.concat(BackendMessages.cString("user"), BackendMessages.cString("u"), new byte[] {0});
    return java.nio.ByteBuffer.allocate(8 + params.length).putInt(8 + params.length)
        .putInt(FrontendMessage.PROTOCOL_3_0).put(params).array();
  }

  private static byte[] query(String sql) {
    return BackendMessages.message('Q', BackendMessages.cString(sql));
  }

  private static byte[] readExactly(InputStream in, int n) throws IOException {
    return in.readNBytes(n);
  }

  @Test
  void closesRightAfterTheNthMessageOfAType() throws Exception {
    byte[] reply = BackendMessages.concat(BackendMessages.loginOk(), BackendMessages.commandComplete("SELECT 1"),
        BackendMessages.readyForQuery('I'));
    try (FakeBackend backend = new FakeBackend().expectStartup().send(reply).expectMessage('Q').start();
         FaultProxy proxy = FaultProxy.start(new InetSocketAddress("127.0.0.1", backend.port()))) {
      proxy.fault(Direction.SERVER_TO_CLIENT, Fault.closeAfterMessage('Z', 1));
      try (Socket s = new Socket(proxy.host(), proxy.port())) {
        s.getOutputStream().write(startup());
        byte[] got = s.getInputStream().readAllBytes(); // EOF right after the first ReadyForQuery
        assertThat(got).isEqualTo(BackendMessages.loginOk());
      }
      proxy.awaitNoConnections(WAIT);
    }
  }

  @Test
  void tracksTheUntypedStartupPacketThenTypedMessages() throws Exception {
    try (FakeBackend backend = new FakeBackend().expectStartup().expectMessage('Q').expectMessage('Q').start();
         FaultProxy proxy = FaultProxy.start(new InetSocketAddress("127.0.0.1", backend.port()))) {
      proxy.fault(Direction.CLIENT_TO_SERVER, Fault.afterMessage('Q', 2, Fault.blackHole()));
      try (Socket s = new Socket(proxy.host(), proxy.port())) {
        s.getOutputStream().write(BackendMessages.concat(startup(), query("a"), query("b"), query("c")));
        backend.awaitScript(WAIT);
        FaultProxy.ProxyConnection c = proxy.awaitAccepted(1, WAIT);
        FaultProxy.waitFor(() -> c.messages(Direction.CLIENT_TO_SERVER) == 4, WAIT, "4 messages seen");
        assertThat(backend.received()).extracting(FrontendMessage::type).containsExactly((char) 0, 'Q', 'Q');
        assertThat(c.forwardedBytes(Direction.CLIENT_TO_SERVER))
            .isEqualTo(startup().length + query("a").length + query("b").length);
      }
    }
  }

  @Test
  void injectsAtAMessageBoundaryAndTricklesOneByteAtATime() throws Exception {
    byte[] notice = BackendMessages.notice("hello");
    try (FakeBackend backend = new FakeBackend().expectStartup().send(BackendMessages.loginOk()).start();
         FaultProxy proxy = FaultProxy.start(new InetSocketAddress("127.0.0.1", backend.port()))) {
      proxy.fault(Direction.SERVER_TO_CLIENT, Fault.afterMessage('K', 1, Fault.inject(notice)));
      try (Socket s = new Socket(proxy.host(), proxy.port())) {
        s.getOutputStream().write(startup());
        byte[] login = BackendMessages.loginOk();
        byte[] expected = new ByteArrayOutputStream() {{
            int z = login.length - BackendMessages.readyForQuery('I').length;
            write(login, 0, z);
            writeBytes(notice);
            write(login, z, login.length - z);
          }}.toByteArray();
        assertThat(readExactly(s.getInputStream(), expected.length)).isEqualTo(expected);
        proxy.fault(Direction.SERVER_TO_CLIENT, Fault.trickle());
        proxy.latest().inject(Direction.SERVER_TO_CLIENT, "xy".getBytes(StandardCharsets.US_ASCII));
        assertThat(readExactly(s.getInputStream(), 2)).isEqualTo("xy".getBytes(StandardCharsets.US_ASCII));
      }
    }
  }

  @Test
  void resetAfterBytesSendsRst() throws Exception {
    try (FakeBackend backend = new FakeBackend().expectStartup().send(BackendMessages.loginOk()).start();
         FaultProxy proxy = FaultProxy.start(new InetSocketAddress("127.0.0.1", backend.port()))) {
      proxy.fault(Direction.SERVER_TO_CLIENT, Fault.resetAfterBytes(3));
      try (Socket s = new Socket(proxy.host(), proxy.port())) {
        s.getOutputStream().write(startup());
        InputStream in = s.getInputStream();
        byte[] first = in.readNBytes(3);
        assertThat(first).hasSize(3);
        IOException reset = null;
        try {
          in.read();
          in.read();
        } catch (IOException e) {
          reset = e;
        }
        assertThat(reset).as("connection reset").isNotNull();
      }
    }
  }

  @Test
  void scramServerAcceptsTheRightProofOnly() {
    ScramServer server = new ScramServer("pw", "salt".getBytes(StandardCharsets.UTF_8), 4096, "srv");
    String first = server.serverFirst("n,,n=,r=abc");
    assertThat(first).startsWith("r=abcsrv,s=");
    assertThat(server.serverFinal("c=biws,r=abcsrv,p=AAAA")).isEmpty();
  }
}
