package org.pgsession.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/** W6 measurements: live heap after a full GC, and thread counts. */
final class HeapProbe {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private HeapProbe() {
  }

  /**
   * Used heap after repeated full GCs (until it stops shrinking).
   *
   * @return bytes
   * @throws InterruptedException if interrupted
   */
  static long liveHeap() throws InterruptedException {
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(50);
      Runtime rt = Runtime.getRuntime();
      long used = rt.totalMemory() - rt.freeMemory();
      if (used >= best) {
        break;
      }
      best = used;
    }
    return best;
  }

  /** @return live threads of this JVM now */
  static long threads() {
    return THREADS.getThreadCount();
  }

  /** Starts counting the peak thread count from now. */
  static void resetPeak() {
    THREADS.resetPeakThreadCount();
  }

  /** @return the peak thread count since {@link #resetPeak()} */
  static long peakThreads() {
    return THREADS.getPeakThreadCount();
  }
}
