package org.pgsession.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** A borrower waiting for a pooled session, from the call to its outcome. */
@Name("org.pgsession.PoolAcquire")
@Label("PostgreSQL Pool Acquire")
@Category("PostgreSQL")
@Description("Time a PgPool borrower waited for a session")
public final class PoolAcquireEvent extends jdk.jfr.Event {
  /** Whether a session was had. */
  @Label("Acquired")
  public boolean acquired;
  /** Why not, or null. */
  @Label("Failure")
  public String failure;
  /** Sessions in use when it was had. */
  @Label("In Use")
  public int inUse;
  /** Borrowers still waiting. */
  @Label("Waiting")
  public int waiting;
}
