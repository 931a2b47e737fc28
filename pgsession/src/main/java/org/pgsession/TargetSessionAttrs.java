package org.pgsession;

import java.util.Locale;

/**
 * libpq's {@code target_session_attrs}: which kind of server a session must reach when several
 * hosts are listed. pgsession currently acts on {@link #ANY} only; parsing any other value is
 * refused until server selection by role is implemented.
 */
public enum TargetSessionAttrs {
  /** Any server that accepts the session (libpq {@code any}, the default). */
  ANY,
  /** A server that accepts writes (libpq {@code read-write}). */
  READ_WRITE,
  /** A server that refuses writes (libpq {@code read-only}). */
  READ_ONLY,
  /** A server not in hot standby (libpq {@code primary}). */
  PRIMARY,
  /** A server in hot standby (libpq {@code standby}). */
  STANDBY,
  /** A standby if one is reachable, else any server (libpq {@code prefer-standby}). */
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
