package org.pgsession.it.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.pgsession.AuthRequirement;
import org.pgsession.ConnectionFailureReason;
import org.pgsession.DatabaseConnectInfo;
import org.pgsession.ErrorResponseMessage;
import org.pgsession.ServerConnectInfo;
import org.pgsession.it.NotifyRecorder;
import org.pgsession.it.Sessions;
import org.pgsession.testkit.TestRoles;

/** Every authentication method of the test cluster under both {@link AuthRequirement}s. */
class AuthenticationTest extends CoreTestBase {

  private static DatabaseConnectInfo md5() {
    return new DatabaseConnectInfo(TestRoles.MD5_USER, TestRoles.MD5_PASSWORD, TestRoles.DATABASE);
  }

  private static DatabaseConnectInfo password() {
    return new DatabaseConnectInfo(TestRoles.PASSWORD_USER, TestRoles.PASSWORD_PASSWORD, TestRoles.DATABASE);
  }

  private static DatabaseConnectInfo trust() {
    return new DatabaseConnectInfo(TestRoles.TRUST_USER, "", TestRoles.DATABASE);
  }

  private static ServerConnectInfo allowAny() {
    return Sessions.allowAny(Sessions.plain());
  }

  private void assertLoggedInAs(ServerConnectInfo server, DatabaseConnectInfo db) {
    Sessions.Open o = open(server, db);
    assertThat(o.events().events).startsWith("connected", "authenticated");
    assertThat(scalar(o.session(), "SELECT current_user::text")).isEqualTo(db.user());
  }

  private void assertMethodRejected(DatabaseConnectInfo db) {
    assertThat(Sessions.plain().authRequirement()).isEqualTo(AuthRequirement.REQUIRE_SCRAM);
    NotifyRecorder n = connectExpectingFailure(Sessions.plain(), db);
    assertThat(n.events).containsExactly("connected", "failed:AuthenticationMethodRejected", "shutdown");
    assertThat(n.failures).containsExactly(new ConnectionFailureReason.AuthenticationMethodRejected());
  }

  @Test
  void scramUserLogsInUnderRequireScram() {
    assertLoggedInAs(Sessions.plain(), Sessions.superuser());
  }

  @Test
  void scramUserLogsInUnderAllowAny() {
    assertLoggedInAs(allowAny(), Sessions.superuser());
  }

  @Test
  void md5UserRejectedUnderRequireScram() {
    assertMethodRejected(md5());
  }

  @Test
  void md5UserLogsInUnderAllowAny() {
    assertLoggedInAs(allowAny(), md5());
  }

  @Test
  void passwordUserRejectedUnderRequireScram() {
    assertMethodRejected(password());
  }

  @Test
  void passwordUserLogsInUnderAllowAny() {
    assertLoggedInAs(allowAny(), password());
  }

  @Test
  void trustUserRejectedUnderRequireScram() {
    assertMethodRejected(trust());
  }

  @Test
  void trustUserLogsInUnderAllowAny() {
    assertLoggedInAs(allowAny(), trust());
  }

  private static ErrorResponseMessage assertServerFailure(NotifyRecorder n, Class<?> reason, String code) {
    assertThat(n.events).containsExactly("connected", "failed:" + reason.getSimpleName(), "shutdown");
    return assertReason(n, reason, code);
  }

  private static ErrorResponseMessage assertReason(NotifyRecorder n, Class<?> reason, String code) {
    assertThat(n.failures).hasSize(1);
    ConnectionFailureReason r = n.failures.get(0);
    assertThat(r).isInstanceOf(reason);
    ErrorResponseMessage e;
    if (r instanceof ConnectionFailureReason.InvalidPassword p) {
      e = p.response();
    } else if (r instanceof ConnectionFailureReason.InvalidDatabaseName d) {
      e = d.response();
    } else if (r instanceof ConnectionFailureReason.InvalidAuthorizationSpecification a) {
      e = a.response();
    } else {
      throw new AssertionError("unexpected " + r);
    }
    assertThat(e.code()).isEqualTo(code);
    assertThat(e.severity()).isEqualTo("FATAL");
    assertThat(e.message()).isNotBlank();
    return e;
  }

  @Test
  void reconnectWithTheSamePasswordSkipsPbkdf2AndAWrongOneStillFails() {
    assertLoggedInAs(Sessions.plain(), Sessions.superuser()); // derives (unless an earlier test did)
    long derivations = org.pgsession.internal.protocol.ScramExchange.keyDerivations();
    assertLoggedInAs(Sessions.plain(), Sessions.superuser());
    assertThat(org.pgsession.internal.protocol.ScramExchange.keyDerivations()).isEqualTo(derivations);
    NotifyRecorder n = connectExpectingFailure(Sessions.plain(),
        new DatabaseConnectInfo(TestRoles.SCRAM_USER, "not-the-password-either", TestRoles.DATABASE));
    assertServerFailure(n, ConnectionFailureReason.InvalidPassword.class, "28P01");
    assertThat(org.pgsession.internal.protocol.ScramExchange.keyDerivations()).isEqualTo(derivations + 1);
  }

  @Test
  void wrongScramPasswordIsInvalidPassword() {
    NotifyRecorder n = connectExpectingFailure(Sessions.plain(),
        new DatabaseConnectInfo(TestRoles.SCRAM_USER, "not-the-password", TestRoles.DATABASE));
    ErrorResponseMessage e = assertServerFailure(n, ConnectionFailureReason.InvalidPassword.class, "28P01");
    assertThat(e.message()).contains("password authentication failed").contains(TestRoles.SCRAM_USER);
  }

  @Test
  void wrongMd5PasswordIsInvalidPassword() {
    NotifyRecorder n = connectExpectingFailure(allowAny(),
        new DatabaseConnectInfo(TestRoles.MD5_USER, "wrong", TestRoles.DATABASE));
    assertServerFailure(n, ConnectionFailureReason.InvalidPassword.class, "28P01");
  }

  @Test
  void missingDatabaseIsInvalidDatabaseName() {
    NotifyRecorder n = connectExpectingFailure(Sessions.plain(),
        new DatabaseConnectInfo(TestRoles.SCRAM_USER, TestRoles.SCRAM_PASSWORD, "no_such_database"));
    // PostgreSQL checks the database only after authentication: AuthenticationOk comes first.
    assertThat(n.events).containsExactly("connected", "authenticated", "failed:InvalidDatabaseName", "shutdown");
    ErrorResponseMessage e = assertReason(n, ConnectionFailureReason.InvalidDatabaseName.class, "3D000");
    assertThat(e.message()).contains("no_such_database");
  }

  @Test
  void rejectedByPgHbaIsInvalidAuthorizationSpecification() {
    NotifyRecorder n = connectExpectingFailure(Sessions.plain(),
        new DatabaseConnectInfo(TestRoles.REJECT_USER, "whatever", TestRoles.DATABASE));
    ErrorResponseMessage e = assertServerFailure(n,
        ConnectionFailureReason.InvalidAuthorizationSpecification.class, "28000");
    assertThat(e.message()).contains("pg_hba.conf");
  }

  @Test
  void rejectedByPgHbaUnderAllowAnyToo() {
    NotifyRecorder n = connectExpectingFailure(allowAny(),
        new DatabaseConnectInfo(TestRoles.REJECT_USER, "whatever", TestRoles.DATABASE));
    assertServerFailure(n, ConnectionFailureReason.InvalidAuthorizationSpecification.class, "28000");
    assertThat(List.copyOf(n.statuses)).isEmpty();
  }
}
