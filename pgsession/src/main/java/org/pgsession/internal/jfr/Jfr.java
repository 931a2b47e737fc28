package org.pgsession.internal.jfr;

import jdk.jfr.EventType;

/**
 * Whether a recording wants the pgsession events now. The event types are looked up once; each
 * check is a read of the recorder's enablement flag, so when no recording runs no event object
 * is allocated and nothing else is paid.
 */
public final class Jfr {
  private static final EventType QUERY = EventType.getEventType(QueryEvent.class);
  private static final EventType COPY = EventType.getEventType(CopyEvent.class);
  private static final EventType CONNECT = EventType.getEventType(ConnectEvent.class);
  private static final EventType CANCEL = EventType.getEventType(CancelEvent.class);
  private static final EventType POOL_ACQUIRE = EventType.getEventType(PoolAcquireEvent.class);

  /** Longest SQL text an event carries, in chars (the 1 KB). */
  public static final int MAX_SQL = 1024;

  private Jfr() {}

  /** @return whether org.pgsession.Query or org.pgsession.Copy is recorded */
  public static boolean operations() {
    return QUERY.isEnabled() || COPY.isEnabled();
  }

  /** @return whether org.pgsession.Query is recorded */
  public static boolean query() {
    return QUERY.isEnabled();
  }

  /** @return whether org.pgsession.Copy is recorded */
  public static boolean copy() {
    return COPY.isEnabled();
  }

  /** @return whether org.pgsession.Connect is recorded */
  public static boolean connect() {
    return CONNECT.isEnabled();
  }

  /** @return whether org.pgsession.Cancel is recorded */
  public static boolean cancel() {
    return CANCEL.isEnabled();
  }

  /** @return whether org.pgsession.PoolAcquire is recorded */
  public static boolean poolAcquire() {
    return POOL_ACQUIRE.isEnabled();
  }

  /** @param sql the text @return it, cut to {@link #MAX_SQL} chars */
  public static String truncate(String sql) {
    return sql == null || sql.length() <= MAX_SQL ? sql : sql.substring(0, MAX_SQL);
  }
}
