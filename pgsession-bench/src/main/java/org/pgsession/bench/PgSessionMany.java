package org.pgsession.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.pgsession.PreparedQuery;
import org.pgsession.Query;
import org.pgsession.QueryFailure;
import org.pgsession.Result;
import org.pgsession.ResultReceiver;
import org.pgsession.ResultSet;
import org.pgsession.Session;
import org.pgsession.SessionOptions;

/** pgsession's many-connection workloads: W5 connect+close in sequence, W6 200 busy sessions. */
final class PgSessionMany {
  private PgSessionMany() {
  }

  static Bench create(String workload, Conf conf) {
    ConnectCloseBench.Client connectClose = user -> {
      Session s = Await.await(PgSessions.open(conf, user, SessionOptions.defaults()));
      Await.await(s.closeAsync());
    };
    return switch (workload) {
      case "W5-cold" -> new ConnectCloseBench(conf, true, connectClose);
      case "W5-reconnect" -> new ConnectCloseBench(conf, false, connectClose);
      default -> new ManySessions(conf);
    };
  }

  /** W6: sessions opened in parallel; each runs a chain of queries sent from its callbacks. */
  static final class ManySessions extends ManySessionsBench {
    private final List<Session> sessions = new ArrayList<>();

    ManySessions(Conf conf) {
      super(conf);
    }

    @Override
    void openAll() throws Exception {
      List<CompletableFuture<Session>> opening = new ArrayList<>();
      for (int i = 0; i < conf.w6Sessions(); i++) {
        opening.add(PgSessions.open(conf, SessionOptions.defaults()));
      }
      for (CompletableFuture<Session> f : opening) {
        sessions.add(Await.await(f));
      }
    }

    @Override
    long runAll() throws Exception {
      List<PointLoop> loops = new ArrayList<>();
      for (int i = 0; i < sessions.size(); i++) {
        PointLoop loop = PointLoop.counted(conf.w6Queries(), firstKey(i));
        loops.add(loop);
        new Chain(sessions.get(i), loop).send();
      }
      long total = 0;
      for (PointLoop loop : loops) {
        total += loop.await();
      }
      return total;
    }

    @Override
    void closeAll() throws Exception {
      List<CompletableFuture<Void>> closing = new ArrayList<>();
      for (Session s : sessions) {
        closing.add(s.closeAsync());
      }
      for (CompletableFuture<Void> f : closing) {
        Await.await(f);
      }
      sessions.clear();
    }
  }

  /** One W6 session's chain of point queries, each sent from the previous one's callback. */
  private record Chain(Session session, PointLoop loop) implements ResultReceiver {
    void send() {
      session.execute(PreparedQuery.of(Conf.POINT_SQL, loop.next()), this);
    }

    @Override
    public void pgQueryResult(Session s, Result r) {
      loop.answer(PgSessionBench.pointSum(((ResultSet) r).rows()));
      if (loop.more()) {
        send();
      }
    }

    @Override
    public void pgQueryFailed(Session s, Query q, QueryFailure f) {
      loop.fail(new IllegalStateException("W6 query failed: " + f));
    }
  }
}
