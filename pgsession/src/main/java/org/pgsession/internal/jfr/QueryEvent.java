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
public final class QueryEvent extends OperationEvent {
  /** QUERY, PREPARE, STREAM, PIPELINE or BATCH. */
  @Label("Kind")
  public String kind;
}
