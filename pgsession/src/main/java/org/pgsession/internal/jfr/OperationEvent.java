package org.pgsession.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Label;
import jdk.jfr.StackTrace;

/** The fields {@link QueryEvent} and {@link CopyEvent} share (JFR records a superclass's fields). */
@Category("PostgreSQL")
@StackTrace(false)
public abstract class OperationEvent extends jdk.jfr.Event {
  /** The SQL, cut to {@link Jfr#MAX_SQL} characters; bound parameter values are never in it. */
  @Label("SQL")
  public String sql;
  /** Sum of the CommandComplete row counts. */
  @Label("Rows")
  public long rows;
  /** The server's error code, or null. */
  @Label("SQLSTATE")
  public String sqlState;
  /** The client-side failure, or null. */
  @Label("Client Error")
  public String clientError;
  /** host:port. */
  @Label("Server")
  public String server;
  /** The database name. */
  @Label("Database")
  public String database;
}
