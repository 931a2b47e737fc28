package org.pgsession.invariants;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails the test on any Netty LEAK report. Registered for every test class of the module by
 * auto-detection (META-INF/services + junit-platform.properties). After each test it fails on
 * reports already made; after each class it forces a collection and drives the detector so
 * leaks of buffers that became garbage during the class are reported and fail that class
 * (the last class's check is the JVM's final check).
 */
public final class LeakCheck implements AfterEachCallback, AfterAllCallback {

  @Override
  public void afterEach(ExtensionContext context) {
    failOnReports("test " + context.getDisplayName());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    collectAndDrive();
    failOnReports("class " + context.getDisplayName());
  }

  /** Forces a GC and allocates a few buffers, which makes the detector poll its queue. */
  public static void collectAndDrive() {
    for (int round = 0; round < 3; round++) {
      System.gc();
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      for (int i = 0; i < 8; i++) {
        ByteBuf a = PooledByteBufAllocator.DEFAULT.buffer(16);
        ByteBuf b = UnpooledByteBufAllocator.DEFAULT.heapBuffer(16);
        a.release();
        b.release();
      }
    }
  }

  private static void failOnReports(String where) {
    List<String> reports = FailingLeakDetector.drain();
    if (!reports.isEmpty()) {
      throw new AssertionError(reports.size() + " Netty LEAK report(s) after " + where + ":\n"
          + String.join("\n\n", reports));
    }
  }
}
