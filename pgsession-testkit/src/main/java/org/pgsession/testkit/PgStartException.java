package org.pgsession.testkit;

/**
 * Thrown when a PostgreSQL cluster cannot be created or started. The message carries the
 * failing command, its output and the server log, so that a test failure explains itself.
 */
public class PgStartException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed, including command output and server log
     */
    public PgStartException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what failed, including command output and server log
     * @param cause the underlying failure
     */
    public PgStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
