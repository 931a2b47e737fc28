package org.pgsession.it.protocol;

import org.pgsession.invariants.SessionInvariants;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgsession.TransactionStatus;
import org.pgsession.internal.protocol.BackendMessage;
import org.pgsession.internal.protocol.BackendMessage.*;
import org.pgsession.internal.protocol.FrontendMessages;
import org.pgsession.testkit.PgCluster;
import org.pgsession.testkit.PgTestExtension;
import org.pgsession.testkit.TestClusters;
import org.pgsession.testkit.TestRoles;

/** The protocol layer alone, over a plain java.net.Socket, against a real PostgreSQL. */
@ExtendWith(PgTestExtension.class)
@ExtendWith(SessionInvariants.class) // no driver channel or timer may outlive a test
class RawProtocolTest {

  private static RawConnection connect(PgCluster cluster) throws Exception {
    return new RawConnection(cluster.host(), cluster.port());
  }

  private static String text(DataRow row, int i) {
    return new String(row.bytes(i), StandardCharsets.UTF_8);
  }

  /** SELECT 1 through the simple query protocol. */
  private static void simpleQuery(RawConnection c) throws Exception {
    c.send(b -> FrontendMessages.query(b, "SELECT 1"));
    List<BackendMessage> ms = c.untilReady();
    assertThat(ms).hasSize(4);
    RowDescription rd = (RowDescription) ms.get(0);
    assertThat(rd.fields()).hasSize(1);
    assertThat(rd.fields().get(0).typeOid()).isEqualTo(23);
    assertThat(rd.fields().get(0).format()).isEqualTo((short) 0);
    assertThat(text((DataRow) ms.get(1), 0)).isEqualTo("1");
    assertThat(ms.get(2)).isEqualTo(new CommandComplete("SELECT 1"));
    assertThat(ms.get(3)).isEqualTo(new ReadyForQuery(TransactionStatus.IDLE));
  }

  /** Parse/Bind/Describe/Execute/Sync with one binary int4 parameter and binary results. */
  private static void extendedQuery(RawConnection c) throws Exception {
    c.send(b -> {
      FrontendMessages.parse(b, "", "SELECT $1 + 1 AS answer", new int[] {23});
      FrontendMessages.bind(b, "", "", new short[] {1}, new byte[][] {{0, 0, 0, 41}},
          new short[] {1});
      FrontendMessages.describe(b, (byte) 'P', "");
      FrontendMessages.execute(b, "", 0);
      FrontendMessages.sync(b);
    });
    List<BackendMessage> ms = c.untilReady();
    assertThat(ms).hasSize(6);
    assertThat(ms.get(0)).isEqualTo(new ParseComplete());
    assertThat(ms.get(1)).isEqualTo(new BindComplete());
    assertThat(ms.get(2)).isEqualTo(new RowDescription(List.of(
        new FieldDescription("answer", 0, (short) 0, 23, (short) 4, -1, (short) 1))));
    DataRow row = (DataRow) ms.get(3);
    assertThat(row.size()).isEqualTo(1);
    assertThat(row.length(0)).isEqualTo(4);
    assertThat(row.buffer().getInt(row.offset(0)))
        .isEqualTo(42);
    assertThat(ms.get(4)).isEqualTo(new CommandComplete("SELECT 1"));
    assertThat(ms.get(5)).isEqualTo(new ReadyForQuery(TransactionStatus.IDLE));
  }

  private static void loginAndQuery(String user, String password,
      Class<? extends BackendMessage> expectedAuth) throws Exception {
    try (RawConnection c = connect(TestClusters.plain())) {
      assertThat(c.login(user, password, 0, Map.of())).isNull();
      assertThat(c.authRequests).hasAtLeastOneElementOfType(expectedAuth);
      assertThat(c.authRequests.get(c.authRequests.size() - 1))
          .isEqualTo(new AuthenticationOk());
      assertThat(c.keyData).isNotNull();
      simpleQuery(c);
      extendedQuery(c);
    }
  }

  @Test
  void scramLogin() throws Exception {
    loginAndQuery(TestRoles.SCRAM_USER, TestRoles.SCRAM_PASSWORD, AuthenticationSASLFinal.class);
  }

  @Test
  void md5Login() throws Exception {
    loginAndQuery(TestRoles.MD5_USER, TestRoles.MD5_PASSWORD, AuthenticationMD5Password.class);
  }

  @Test
  void cleartextPasswordLogin() throws Exception {
    loginAndQuery(TestRoles.PASSWORD_USER, TestRoles.PASSWORD_PASSWORD,
        AuthenticationCleartextPassword.class);
  }

  @Test
  void trustLogin() throws Exception {
    try (RawConnection c = connect(TestClusters.plain())) {
      assertThat(c.login(TestRoles.TRUST_USER, "", 0, Map.of())).isNull();
      assertThat(c.authRequests).containsExactly(new AuthenticationOk());
      simpleQuery(c);
      extendedQuery(c);
    }
  }

  @Test
  void rejectedRoleGetsSqlState28000() throws Exception {
    try (RawConnection c = connect(TestClusters.plain())) {
      ErrorResponse e = c.login(TestRoles.REJECT_USER, "whatever", 0, Map.of());
      assertThat(e).isNotNull();
      assertThat(e.error().code()).isEqualTo("28000");
      assertThat(e.error().severity()).isEqualTo("FATAL");
    }
  }

  @Test
  void wrongScramPasswordGetsSqlState28P01() throws Exception {
    try (RawConnection c = connect(TestClusters.plain())) {
      ErrorResponse e = c.login(TestRoles.SCRAM_USER, "not-the-password", 0, Map.of());
      assertThat(e).isNotNull();
      assertThat(e.error().code()).isEqualTo("28P01");
    }
  }

  @Test
  void queryErrorIsParsedAndSessionStaysUsable() throws Exception {
    try (RawConnection c = connect(TestClusters.plain())) {
      assertThat(c.login(TestRoles.TRUST_USER, "", 0, Map.of())).isNull();
      c.send(b -> FrontendMessages.query(b, "SELECT 1/0"));
      List<BackendMessage> ms = c.untilReady();
      ErrorResponse e = (ErrorResponse) ms.stream().filter(m -> m instanceof ErrorResponse)
          .findFirst().orElseThrow();
      assertThat(e.error().code()).isEqualTo("22012");
      assertThat(e.error().severity()).isEqualTo("ERROR");
      assertThat(e.error().message()).contains("division by zero");
      simpleQuery(c);
    }
  }

  @Test
  void unknownProtocolOptionGetsNegotiateProtocolVersion() throws Exception {
    try (RawConnection c = connect(TestClusters.plain())) {
      assertThat(c.login(TestRoles.TRUST_USER, "", 0, Map.of("_pq_.no_such_option", "x")))
          .isNull();
      assertThat(c.negotiation).isNotNull();
      assertThat(c.negotiation.unrecognizedOptions()).containsExactly("_pq_.no_such_option");
      simpleQuery(c);
    }
  }

  @Test
  void protocol32GivesLongCancelKey() throws Exception {
    PgCluster cluster = TestClusters.plain();
    int major = Integer.parseInt(cluster.pgVersion().split("\\.")[0]);
    Assumptions.assumeTrue(major >= 18, "protocol 3.2 needs PostgreSQL 18");
    try (RawConnection c = connect(cluster)) {
      assertThat(c.login(TestRoles.TRUST_USER, "", 2, Map.of())).isNull();
      assertThat(c.negotiation).isNull();
      // PostgreSQL 18 sends 32-byte keys under protocol 3.2 (4 bytes under 3.0).
      assertThat(c.keyData.secretKey()).hasSize(32);
      simpleQuery(c);
    }
  }

  @Test
  void plainClusterAnswersNToSslRequest() throws Exception {
    try (RawConnection c = connect(TestClusters.plain())) {
      assertThat(c.sslRequest()).isEqualTo('N');
      // The connection goes on in plaintext.
      assertThat(c.login(TestRoles.TRUST_USER, "", 0, Map.of())).isNull();
      simpleQuery(c);
    }
  }

  @Test
  void tlsClusterAnswersSToSslRequestAndSpeaksOverTls() throws Exception {
    PgCluster cluster = TestClusters.tls();
    try (RawConnection c = connect(cluster)) {
      assertThat(c.sslRequest()).isEqualTo('S');
      c.startTls(cluster.clientSslContext(), cluster.host(), cluster.port());
      assertThat(c.login(TestRoles.SCRAM_USER, TestRoles.SCRAM_PASSWORD, 0, Map.of())).isNull();
      simpleQuery(c);
      extendedQuery(c);
    }
  }
}
