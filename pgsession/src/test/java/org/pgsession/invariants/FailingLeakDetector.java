package org.pgsession.invariants;

import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;

/**
 * Netty's leak detector with every report also recorded, so {@link LeakCheck} can fail the test
 * (and the build) on any LEAK. Installed for the whole test JVM with
 * {@code -Dio.netty.customResourceLeakDetector=org.pgsession.invariants.FailingLeakDetector}
 * (see pgsession/pom.xml), so it is in place before the first buffer class is initialised.
 *
 * @param <T> the tracked resource type
 */
public class FailingLeakDetector<T> extends ResourceLeakDetector<T> {
  private static final List<String> REPORTS = new ArrayList<>();
  private static volatile boolean installed;
  /** Hint prefix of the leak LeakHookTest makes on purpose. */
  static final String DELIBERATE = "deliberate-leak-";

  /**
   * Called by Netty's default factory.
   *
   * @param resourceType the tracked type
   * @param samplingInterval sampling interval
   */
  public FailingLeakDetector(Class<?> resourceType, int samplingInterval) {
    super(resourceType, samplingInterval);
    installed = true;
  }

  /**
   * Called by Netty's default factory (older constructor shape).
   *
   * @param resourceType the tracked type
   * @param samplingInterval sampling interval
   * @param maxActive ignored
   */
  public FailingLeakDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
    this(resourceType, samplingInterval);
  }

  /** @return whether Netty created at least one detector of this class */
  public static boolean installed() {
    return installed;
  }

  /** @return every report since the last drain, and forgets them */
  public static List<String> drain() {
    synchronized (REPORTS) {
      List<String> out = new ArrayList<>(REPORTS);
      REPORTS.clear();
      return out;
    }
  }

  private static void record(String report) {
    synchronized (REPORTS) {
      REPORTS.add(report);
    }
  }

  @Override
  protected boolean needReport() {
    return true; // record even if logging of errors is off
  }

  @Override
  protected void reportTracedLeak(String resourceType, String records) {
    record("LEAK: " + resourceType + " was not released:" + records);
    if (!records.contains(DELIBERATE)) { // LeakHookTest's own leak stays out of the build log
      super.reportTracedLeak(resourceType, records);
    }
  }

  @Override
  protected void reportUntracedLeak(String resourceType) {
    record("LEAK: " + resourceType + " was not released (untraced)");
    super.reportUntracedLeak(resourceType);
  }
}
