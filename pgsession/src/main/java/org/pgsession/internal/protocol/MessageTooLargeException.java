package org.pgsession.internal.protocol;

/**
 * A frontend message would be longer than {@link FrontendMessages#MAX_MESSAGE_LENGTH}, which
 * the server rejects (and which older servers mis-handled, CVE-2024-27304). Thrown before any
 * byte of the message is written.
 */
public final class MessageTooLargeException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** @param message which message and how long it would have been */
  public MessageTooLargeException(String message) {
    super(message);
  }
}
