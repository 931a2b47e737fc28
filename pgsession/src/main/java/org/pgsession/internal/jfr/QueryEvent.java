package org.pgsession.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** One query, prepare, stream, pipeline or batch, from submission to its end. */
@Name("org.pgsession.Query")
@Label("PostgreSQL Query")
@Category("PostgreSQL")
@Description("A query, prepare, stream, pipeline or batch of a pgsession session")
@StackTrace(false)
public final class QueryEvent extends jdk.jfr.Event {
  /** QUERY, PREPARE, STREAM, PIPELINE or BATCH. */
  @Label("Kind")
  public String kind;
  /** The SQL, truncated. */
  @Label("SQL")
  @Description("The SQL text (at most 1 KiB; bound parameter values never included)")
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
