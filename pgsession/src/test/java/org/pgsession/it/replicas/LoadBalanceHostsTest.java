package org.pgsession.it.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pgsession.ConnectConfig;
import org.pgsession.ServerConnectInfo;
import org.pgsession.TargetSessionAttrs;
import org.pgsession.testkit.PgReplicaSet;
import org.pgsession.testkit.TestRoles;

/** load_balance_hosts=random spreads sessions over the hosts; disable keeps the listed order. */
class LoadBalanceHostsTest {
  /** 2 * 2^-40 (about 1.8e-12): the chance that 40 random picks of two hosts all pick the same one. */
  private static final int SESSIONS = 40;
  private static ServerConnectInfo primary;
  private static ServerConnectInfo standby;

  @BeforeAll
  static void replicaSet() {
    PgReplicaSet set = PgReplicaSet.shared();
    primary = Replicas.primary(set);
    standby = Replicas.standby(set);
  }

  private static String uri(String query) {
    return "postgresql://" + TestRoles.SCRAM_USER + "@" + primary.host() + ":" + primary.port() + "," + standby.host()
        + ":" + standby.port() + "/" + TestRoles.DATABASE + "?connect_timeout=30&" + query;
  }

  @Test
  void randomSpreadsSessionsOverBothHosts() {
    ConnectConfig config = ConnectConfig.parse(uri("load_balance_hosts=random"))
        .withPassword(TestRoles.SCRAM_PASSWORD);
    assertThat(config.loadBalanceHosts()).isTrue();
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < SESSIONS; i++) {
      seen.add(Replicas.landsOn(config));
    }
    assertThat(seen).containsExactlyInAnyOrder(primary.port(), standby.port());
  }

  @Test
  void disableKeepsTheListedOrder() {
    ConnectConfig config = ConnectConfig.parse(uri("load_balance_hosts=disable"))
        .withPassword(TestRoles.SCRAM_PASSWORD);
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < SESSIONS / 4; i++) {
      seen.add(Replicas.landsOn(config));
    }
    assertThat(seen).containsExactly(primary.port());
  }

  @Test
  void randomStillHonoursTheTarget() {
    ConnectConfig config = ConnectConfig.parse(uri("load_balance_hosts=random&target_session_attrs=standby"))
        .withPassword(TestRoles.SCRAM_PASSWORD);
    assertThat(config.targetSessionAttrs()).isEqualTo(TargetSessionAttrs.STANDBY);
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < SESSIONS / 4; i++) {
      seen.add(Replicas.landsOn(config));
    }
    assertThat(seen).containsExactly(standby.port());
  }
}
