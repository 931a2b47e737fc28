package org.pgsession.internal.protocol;

/**
 * The bytes from the server do not follow the PostgreSQL v3 protocol (bad length, unknown
 * message type, truncated or over-long body, ...). The message says what was wrong.
 * The session that sees this closes.
 */
public final class ProtocolViolationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** @param message what was wrong, for the user */
  public ProtocolViolationException(String message) {
    super(message, null, false, false);
  }
}
