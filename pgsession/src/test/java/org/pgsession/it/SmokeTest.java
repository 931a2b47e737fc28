package org.pgsession.it;

import org.pgsession.invariants.SessionInvariants;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgsession.PreparedQuery;
import org.pgsession.ResultSet;
import org.pgsession.SimpleQuery;
import org.pgsession.testkit.PgTestExtension;

@ExtendWith(PgTestExtension.class)
@ExtendWith(SessionInvariants.class) // no driver channel or timer may outlive a test
class SmokeTest {
  @Test
  void selectsOverSimpleAndExtendedProtocol() {
    try (Sessions.Open o = Sessions.open()) {
      ResultRecorder r = new ResultRecorder();
      o.session().execute(new SimpleQuery("SELECT 1 AS one, 'x' AS two"), r);
      ResultSet rs = (ResultSet) r.awaitResult();
      assertThat(rs.rows().get(0).getInteger("one")).isEqualTo(1);
      assertThat(rs.rows().get(0).getString("two")).isEqualTo("x");
      ResultRecorder r2 = new ResultRecorder();
      o.session().execute(PreparedQuery.of("SELECT $1::int8 + 1 AS n", 41L), r2);
      ResultSet rs2 = (ResultSet) r2.awaitResult();
      assertThat(rs2.rows().get(0).getLong("n")).isEqualTo(42L);
      assertThat(rs2.rows().columns().get(0).format()).isEqualTo((short) 1);
    }
  }

  /** The matrix runs some versions over io_uring: this shows which transport carried these tests. */
  @Test
  void runsOverTheTransportThePropertyAsksFor() {
    String wanted = System.getProperty("pgsession.transport", "epoll");
    String used = org.pgsession.internal.transport.EventLoops.transportName();
    if (wanted.equals("epoll") || wanted.equals("nio")) {
      assertThat(used).isEqualTo(wanted); // both exist on every Linux x86-64 this runs on
    } else {
      assertThat(used).isIn("io_uring", "epoll"); // io_uring where the kernel permits it
    }
    try (Sessions.Open o = Sessions.open()) {
      ResultRecorder r = new ResultRecorder();
      o.session().execute(new SimpleQuery("SELECT 1"), r);
      assertThat(((ResultSet) r.awaitResult()).rows().get(0).getInteger(0)).isEqualTo(1);
    }
  }
}
