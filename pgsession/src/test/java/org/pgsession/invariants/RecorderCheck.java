package org.pgsession.invariants;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.pgsession.Session;

/**
 * Checks every {@link Checked} recorder (the tests' {@code NotifyRecorder} and
 * {@code ResultRecorder}, which register themselves) for every test of the suite: registered in
 * {@code META-INF/services} like {@link LeakCheck}, so no test class can forget it. A recorder
 * made inside a test method is judged after that test; one made in {@code @BeforeAll} (a
 * session kept across tests) after the class. Before judging, the recorders' sessions are
 * closed (a no-op for those the test closed itself) so a forgotten session is not reported
 * as a missing shutdown; then each must settle within {@link SessionInvariants#SETTLE}.
 */
public final class RecorderCheck implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback,
    AfterAllCallback {
  private static final ConcurrentLinkedQueue<Checked> TEST = new ConcurrentLinkedQueue<>();
  private static final ConcurrentLinkedQueue<Checked> CLASS = new ConcurrentLinkedQueue<>();
  private static volatile boolean inTest;

  /** @param c a recorder just made; judged at the end of the current test (or class) */
  public static void register(Checked c) {
    (inTest ? TEST : CLASS).add(c);
  }

  /** Closes the sessions of the recorders made in the current test (before a resource check). */
  static void closeTestSessions() {
    close(TEST);
  }

  /** Closes the sessions of the recorders made outside any test (before a resource check). */
  static void closeClassSessions() {
    close(CLASS);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    CLASS.clear(); // made outside JUnit Jupiter (a jqwik property): not this class's to judge
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    TEST.clear();
    inTest = true;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    inTest = false;
    judge(TEST, "test");
  }

  @Override
  public void afterAll(ExtensionContext context) {
    judge(CLASS, "class");
  }

  private static void close(ConcurrentLinkedQueue<Checked> recorders) {
    for (Checked c : recorders) {
      Session s = c.session();
      if (s != null) {
        s.close();
      }
    }
  }

  private static void judge(ConcurrentLinkedQueue<Checked> recorders, String scope) {
    List<Checked> all = new ArrayList<>(recorders);
    recorders.clear();
    if (all.isEmpty()) {
      return;
    }
    close(new ConcurrentLinkedQueue<>(all));
    SessionInvariants.await(() -> all.stream().allMatch(Checked::settled));
    List<String> problems = new ArrayList<>();
    for (Checked c : all) {
      problems.addAll(c.violations());
    }
    if (!problems.isEmpty()) {
      throw new AssertionError("recorder invariants broken (" + scope + "):\n  " + String.join("\n  ", problems));
    }
  }
}
