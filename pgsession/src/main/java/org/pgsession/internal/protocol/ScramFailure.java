package org.pgsession.internal.protocol;

/**
 * The SCRAM exchange failed. The message describes the failure; it never contains the password
 * or key material.
 */
public final class ScramFailure extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why the exchange failed. */
  public enum Kind {
    /** The server asked for more PBKDF2 iterations than the configured cap. */
    ITERATIONS_ABOVE_CAP,
    /** A server message does not follow RFC 5802 or does not match the exchange. */
    MALFORMED_SERVER_MESSAGE,
    /** The server's signature is wrong: it does not know the password. */
    SERVER_SIGNATURE_MISMATCH,
    /** The server-final message carried an {@code e=} error. */
    SERVER_ERROR
  }

  private final Kind kind;

  /**
   * @param kind why the exchange failed
   * @param message description, without secrets
   */
  public ScramFailure(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  /** @return why the exchange failed */
  public Kind kind() {
    return kind;
  }
}
