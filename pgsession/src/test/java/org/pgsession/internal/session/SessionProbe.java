package org.pgsession.internal.session;

import java.lang.reflect.Field;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.pgsession.Session;

/** Test access to a session's internals (read on its event loop). */
public final class SessionProbe {
  private SessionProbe() {}

  /** @return the most bytes the session had written and not yet answered at once */
  public static long mostUnansweredBytes(Session session) {
    SessionMachine m = machine(session);
    CompletableFuture<Long> f = new CompletableFuture<>();
    m.post(() -> f.complete(m.mostUnansweredBytes()));
    try {
      return f.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** @return the bound on written-but-unanswered bytes */
  public static long maxUnansweredBytes() {
    return WrittenOperations.MAX_UNANSWERED_BYTES;
  }

  private static SessionMachine machine(Session session) {
    try {
      Field f = Session.class.getDeclaredField("machine");
      f.setAccessible(true);
      return (SessionMachine) f.get(session);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
