package org.pgsession.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pgsession.invariants.LeakCheck;
import org.pgsession.invariants.SessionInvariants;
import org.pgsession.testkit.PgTestExtension;
import org.pgsession.testkit.TestClusters;

/**
 * Stress: random actions across 20 sessions with faults switched on the proxy; every receiver
 * must get exactly one terminal callback and nothing may hang (checked by
 * {@link SessionInvariants} after everything is closed). The soak variant runs for
 * {@code -Dchaos.soak.minutes} and prints the heap after GC every minute and its slope.
 */
@ExtendWith(PgTestExtension.class)
class StressTest {
  /** Sessions in the stress run. */
  static final int SESSIONS = 20;

  @RegisterExtension
  final SessionInvariants invariants = new SessionInvariants();

  @Test
  void randomActionsWithFaultsAcrossTwentySessions() throws Exception {
    long actions = Long.getLong("chaos.stress.actions", 10_000);
    long seed = Long.getLong("chaos.stress.seed", System.nanoTime());
    long started = System.nanoTime();
    try (Stress stress = new Stress(invariants, TestClusters.plain(), SESSIONS, seed)) {
      while (stress.actions() < actions) {
        stress.step();
      }
      System.out.printf("stress: %d actions, %d reconnects, %d ms, seed %d%n", stress.actions(),
          stress.reconnects(), (System.nanoTime() - started) / 1_000_000, seed);
      assertThat(stress.actions()).isGreaterThanOrEqualTo(actions);
    }
    // SessionInvariants checks every watch (exactly-once terminal callbacks, one shutdown each),
    // open channels and pending timers after this method; the seed is in the output to replay.
  }

  @Test
  @EnabledIfSystemProperty(named = "chaos.soak.minutes", matches = "\\d+")
  void soak() throws Exception {
    int minutes = Integer.getInteger("chaos.soak.minutes");
    long seed = Long.getLong("chaos.stress.seed", System.nanoTime());
    List<Double> heapMb = new ArrayList<>();
    long start = System.nanoTime();
    long nextReport = start;
    try (Stress stress = new Stress(invariants, TestClusters.plain(), SESSIONS, seed)) {
      while (true) {
        long now = System.nanoTime();
        if (now >= nextReport) {
          stress.forgetEnded(); // the heap then shows the driver, not the test's history
          LeakCheck.collectAndDrive();
          Runtime rt = Runtime.getRuntime();
          double mb = (rt.totalMemory() - rt.freeMemory()) / 1048576.0;
          heapMb.add(mb);
          System.out.printf("soak minute %d: heap after GC %.1f MB, %d actions, %d reconnects, slope %.3f MB/min%n",
              heapMb.size() - 1, mb, stress.actions(), stress.reconnects(), slope(heapMb));
          if (heapMb.size() > minutes) {
            break;
          }
          nextReport += 60_000_000_000L;
        }
        stress.step();
      }
    }
    System.out.printf("soak done: %d minutes, heap slope %.3f MB/min, seed %d%n", minutes, slope(heapMb), seed);
  }

  /** @return least-squares slope of the samples (one per minute), MB per minute */
  static double slope(List<Double> y) {
    int n = y.size();
    if (n < 2) {
      return 0;
    }
    double mx = (n - 1) / 2.0;
    double my = y.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    double num = 0;
    double den = 0;
    for (int i = 0; i < n; i++) {
      num += (i - mx) * (y.get(i) - my);
      den += (i - mx) * (i - mx);
    }
    return num / den;
  }
}
