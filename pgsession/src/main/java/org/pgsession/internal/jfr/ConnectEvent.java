package org.pgsession.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A session's connect: TCP, TLS, startup and authentication, up to the first ReadyForQuery. */
@Name("org.pgsession.Connect")
@Label("PostgreSQL Connect")
@Category("PostgreSQL")
@Description("Connect, TLS, startup and authentication of a pgsession session")
@StackTrace(false)
public final class ConnectEvent extends jdk.jfr.Event {
  /** host:port. */
  @Label("Server")
  public String server;
  /** The database name. */
  @Label("Database")
  public String database;
  /** The user name. */
  @Label("User")
  public String user;
  /** Whether the session became ready. */
  @Label("Ready")
  public boolean ready;
  /** The failure reason (a ConnectionFailureReason), or null. */
  @Label("Failure")
  public String failure;
}
