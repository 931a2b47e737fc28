package org.pgsession.bench;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.pgsession.DatabaseConnectInfo;
import org.pgsession.ExtendedQuery;
import org.pgsession.PipelineReceiver;
import org.pgsession.Result;
import org.pgsession.ServerConnectInfo;
import org.pgsession.Session;
import org.pgsession.SessionOptions;
import org.pgsession.SimpleQuery;
import org.pgsession.types.CodecRegistry;

/** pgsession plumbing for the benchmarks: open as a given role, untimed SQL, atomic batches. */
final class PgSessions {
  private PgSessions() {
  }

  /**
   * Connects; completes when the session is ready for queries.
   *
   * @param conf the server
   * @param user the role (its password is {@link Conf#passwordOf(String)})
   * @param options session options
   * @return the ready session
   */
  static CompletableFuture<Session> open(Conf conf, String user, SessionOptions options) {
    return Session.open(ServerConnectInfo.of(conf.host(), conf.port()),
        new DatabaseConnectInfo(user, conf.passwordOf(user), conf.database()), CodecRegistry.defaults(), options);
  }

  /**
   * Connects as the benchmark's main role.
   *
   * @param conf the server
   * @param options session options
   * @return the ready session
   */
  static CompletableFuture<Session> open(Conf conf, SessionOptions options) {
    return open(conf, conf.user(), options);
  }

  /**
   * Runs SQL untimed and waits for its results.
   *
   * @param s the session
   * @param sql the statement(s)
   * @return the results
   * @throws Exception on failure
   */
  static List<Result> sql(Session s, String sql) throws Exception {
    return Await.await(s.execute(new SimpleQuery(sql)));
  }

  /**
   * The one value of a single-row, single-column query, as a long.
   *
   * @param s the session
   * @param sql the query
   * @return the value
   * @throws Exception on failure
   */
  static long count(Session s, String sql) throws Exception {
    return Await.await(s.query(sql)).get(0).getLong(0);
  }

  /**
   * Runs a list as one atomic batch (one Sync for the list).
   *
   * @param s the session
   * @param queries the queries
   * @param receiver results per index
   */
  static void batch(Session s, List<? extends ExtendedQuery> queries, PipelineReceiver receiver) {
    s.batch(queries, receiver);
  }
}
