package org.pgsession.it.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.pgsession.ErrorResponseMessage;
import org.pgsession.PreparedQuery;
import org.pgsession.QueryFailure;
import org.pgsession.Session;
import org.pgsession.SessionOptions;
import org.pgsession.it.ResultRecorder;

/**
 * An extended query outside a transaction block commits at its Sync, after CommandComplete: a
 * failing commit (deferred constraint) must be the operation's outcome, never a success.
 */
class CommitFailureTest extends CoreTestBase {

  @Test
  void deferredConstraintFailingAtCommitFailsTheExecution() {
    for (int cacheSize : new int[] {0, SessionOptions.DEFAULT_STATEMENT_CACHE_SIZE}) {
      Session s = open(SessionOptions.defaults().withStatementCacheSize(cacheSize)).session();
      run(s, "CREATE TEMP TABLE deferred_u(id int UNIQUE DEFERRABLE INITIALLY DEFERRED)");
      run(s, PreparedQuery.of("INSERT INTO deferred_u VALUES ($1)", 1));
      for (int attempt = 0; attempt < 2; attempt++) { // second attempt: the cached statement path
        ResultRecorder rec = new ResultRecorder();
        s.execute(PreparedQuery.of("INSERT INTO deferred_u VALUES ($1)", 1), rec);
        QueryFailure failure = rec.awaitFailure();
        assertThat(failure).isInstanceOf(ErrorResponseMessage.class);
        assertThat(((ErrorResponseMessage) failure).code()).isEqualTo("23505");
        assertThat(rec.results).as("no success for a rolled-back insert").isEmpty();
      }
      assertThat(scalar(s, PreparedQuery.of("SELECT count(*) FROM deferred_u"))).isEqualTo(1L);
    }
  }
}
