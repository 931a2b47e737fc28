package org.pgsession.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** One COPY FROM STDIN or COPY TO STDOUT, from submission to its end. */
@Name("org.pgsession.Copy")
@Label("PostgreSQL Copy")
@Category("PostgreSQL")
@Description("A COPY FROM STDIN or COPY TO STDOUT of a pgsession session")
@StackTrace(false)
public final class CopyEvent extends jdk.jfr.Event {
  /** IN or OUT. */
  @Label("Direction")
  public String direction;
  /** The COPY statement, truncated. */
  @Label("SQL")
  @Description("The COPY statement (at most 1 KiB)")
  public String sql;
  /** Rows copied, from CommandComplete. */
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
