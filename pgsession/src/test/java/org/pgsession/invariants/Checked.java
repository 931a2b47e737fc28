package org.pgsession.invariants;

import java.util.List;
import org.pgsession.Session;

/**
 * A test recorder whose promises {@link RecorderCheck} verifies at the end of the test (or of
 * the class, for one made outside any test method): a session recorder must have seen exactly
 * one {@code pgSessionShutdown} and nothing after it; a receiver exactly one terminal callback
 * and nothing after it.
 */
public interface Checked {
  /** @return whether every promise can be judged now (shutdown seen, terminal callback seen) */
  boolean settled();

  /** @return every broken promise (empty when all is well); judged after {@link #settled} or the deadline */
  List<String> violations();

  /** @return the session to close before judging, or null (a receiver, or a session recorder never used) */
  Session session();
}
