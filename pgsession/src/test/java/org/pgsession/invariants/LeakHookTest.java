package org.pgsession.invariants;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Proves the leak hook works: a buffer leaked on purpose is reported to
 * {@link FailingLeakDetector}, which is what makes {@link LeakCheck} fail a test. The test drains
 * its own report, so it does not fail the build; any other report is handed back to LeakCheck.
 */
class LeakHookTest {

  @Test
  void aDeliberatelyLeakedBufferIsReported() {
    String marker = FailingLeakDetector.DELIBERATE + UUID.randomUUID();
    leak(marker);
    assertThat(FailingLeakDetector.installed()).as("custom detector installed via system property").isTrue();
    List<String> others = new ArrayList<>();
    boolean caught = false;
    for (int i = 0; i < 50 && !caught; i++) {
      LeakCheck.collectAndDrive();
      for (String report : FailingLeakDetector.drain()) {
        if (report.contains(marker)) {
          caught = true;
        } else {
          others.add(report);
        }
      }
    }
    assertThat(caught).as("the deliberate leak was reported").isTrue();
    assertThat(others).as("unrelated LEAK reports").isEmpty();
  }

  private static void leak(String marker) {
    ByteBuf buf = PooledByteBufAllocator.DEFAULT.buffer(64);
    buf.writeLong(42);
    buf.touch(marker); // the hint shows up in the report's access records
  }
}
