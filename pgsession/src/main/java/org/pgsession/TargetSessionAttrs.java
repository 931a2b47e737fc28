package org.pgsession;

import java.util.Locale;

/**
 * libpq's {@code target_session_attrs}: which kind of server a session must reach when several
 * hosts are listed, with libpq's meaning. A server that accepts the login but is of the wrong
 * kind is closed and the next listed server tried (see {@link ConnectConfig#targetSessionAttrs()}).
 */
public enum TargetSessionAttrs {
  /** Any server that accepts the session (libpq {@code any}, the default). */
  ANY,
  /**
   * A server whose sessions accept writes by default (libpq {@code read-write}): not in hot
   * standby and {@code default_transaction_read_only} off.
   */
  READ_WRITE,
  /**
   * A server whose sessions are read-only by default (libpq {@code read-only}): in hot standby,
   * or {@code default_transaction_read_only} on.
   */
  READ_ONLY,
  /** A server not in hot standby, i.e. not in recovery (libpq {@code primary}). */
  PRIMARY,
  /** A server in hot standby (libpq {@code standby}). */
  STANDBY,
  /**
   * A standby if one is reachable, else any server (libpq {@code prefer-standby}): the whole list
   * is tried for a standby first, then again for any server.
   */
  PREFER_STANDBY;

  /** @return the value as libpq spells it, e.g. {@code read-write} */
  public String libpqName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * @param value a libpq spelling such as {@code read-write}
   * @return the constant
   * @throws IllegalArgumentException naming {@code target_session_attrs} for another value
   */
  public static TargetSessionAttrs fromLibpqName(String value) {
    for (TargetSessionAttrs t : values()) {
      if (t.libpqName().equals(value)) {
        return t;
      }
    }
    throw new IllegalArgumentException("invalid target_session_attrs value: \"" + value
        + "\" (any, read-write, read-only, primary, standby or prefer-standby)");
  }
}
