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
public final class CopyEvent extends OperationEvent {
  /** IN or OUT. */
  @Label("Direction")
  public String direction;
}
