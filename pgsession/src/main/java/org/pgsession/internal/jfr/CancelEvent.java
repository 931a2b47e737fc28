package org.pgsession.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A CancelRequest, from sending it to the close of its connection. */
@Name("org.pgsession.Cancel")
@Label("PostgreSQL Cancel")
@Category("PostgreSQL")
@Description("A CancelRequest sent on its own connection")
@StackTrace(false)
public final class CancelEvent extends jdk.jfr.Event {
  /** host:port. */
  @Label("Server")
  public String server;
  /** The backend process the request targets. */
  @Label("Backend PID")
  public int backendPid;
}
