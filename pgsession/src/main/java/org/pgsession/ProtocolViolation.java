package org.pgsession;

/**
 * The server broke the wire protocol; the session shuts down.
 *
 * @param message what was wrong
 */
public record ProtocolViolation(String message) implements ClientQueryError, ConnectionFailureReason {}
