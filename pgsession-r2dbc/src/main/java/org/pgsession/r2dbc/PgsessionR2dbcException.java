package org.pgsession.r2dbc;

import io.r2dbc.spi.R2dbcNonTransientException;

/**
 * A non-transient failure that no more specific R2DBC exception type describes (for example a
 * data exception, SQLSTATE class 22, or a value the driver could not encode or decode). The
 * driver's {@link org.pgsession.PgException} is the cause and carries every error field.
 */
public final class PgsessionR2dbcException extends R2dbcNonTransientException {
  private static final long serialVersionUID = 1L;

  /**
   * @param reason the message
   * @param sqlState the SQLSTATE, or null for a client-side failure
   * @param sql the SQL that failed, or null
   * @param cause the driver's exception
   */
  public PgsessionR2dbcException(String reason, String sqlState, String sql, Throwable cause) {
    super(reason, sqlState, 0, sql, cause);
  }
}
