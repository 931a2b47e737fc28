package org.pgsession.it.types;

import java.lang.reflect.Array;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.pgsession.Column;
import org.pgsession.PrepareReceiver;
import org.pgsession.PreparedQuery;
import org.pgsession.Query;
import org.pgsession.QueryFailure;
import org.pgsession.Result;
import org.pgsession.ResultSet;
import org.pgsession.Rows;
import org.pgsession.Session;
import org.pgsession.SimpleQuery;
import org.pgsession.it.Await;
import org.pgsession.it.NotifyRecorder;
import org.pgsession.it.ResultRecorder;
import org.pgsession.it.Sessions;
import org.pgsession.types.CodecRegistry;
import org.pgsession.types.PgArray;
import org.pgsession.types.PgComposite;

/** Helpers for the type-system integration tests: sessions with a registry, blocking queries. */
final class TypeSessions {
  private TypeSessions() {}

  /** @return a ready superuser session decoding with the given registry */
  static Sessions.Open open(CodecRegistry registry) {
    NotifyRecorder notify = new NotifyRecorder();
    Session s = Session.connect(Sessions.plain(), Sessions.superuser(), notify, registry);
    Await.until("session ready " + notify.events, () -> notify.ready() || notify.isShutdown());
    if (!notify.ready()) {
      throw new AssertionError("session did not become ready: " + notify.events + " " + notify.failures);
    }
    return new Sessions.Open(s, notify);
  }

  /** @return every result of the query (fails the test on a failure) */
  static List<Result> results(Session s, Query q, int expected) {
    ResultRecorder r = new ResultRecorder();
    s.execute(q, r);
    r.awaitResults(expected);
    if (!r.failures.isEmpty()) {
      throw new AssertionError("query failed: " + q + " -> " + r.failures.get(0));
    }
    return List.copyOf(r.results);
  }

  /** @return the rows of a single-statement query */
  static Rows rows(Session s, Query q) {
    ResultRecorder r = new ResultRecorder();
    s.execute(q, r);
    Result res = r.awaitResult();
    if (!(res instanceof ResultSet rs)) {
      throw new AssertionError("expected rows from " + q + ", got " + res);
    }
    return rs.rows();
  }

  /** @return the rows of a simple query */
  static Rows simple(Session s, String sql) {
    return rows(s, new SimpleQuery(sql));
  }

  /** @return the rows of an unnamed extended query */
  static Rows prepared(Session s, String sql, Object... params) {
    return rows(s, PreparedQuery.of(sql, params));
  }

  /** Runs statements that return no rows (simple protocol). */
  static void run(Session s, String sql) {
    ResultRecorder r = new ResultRecorder();
    s.execute(new SimpleQuery(sql), r);
    // a multi-statement query delivers one result per statement: operations run in order, so
    // once a probe query completed, this one has too
    ResultRecorder probe = new ResultRecorder();
    s.execute(new SimpleQuery("SELECT 1"), probe);
    probe.awaitResult();
    if (!r.failures.isEmpty()) {
      throw new AssertionError("statement failed: " + sql + " -> " + r.failures.get(0));
    }
  }

  /** @return the failure of a query that must fail */
  static QueryFailure failure(Session s, Query q) {
    ResultRecorder r = new ResultRecorder();
    s.execute(q, r);
    QueryFailure f = r.awaitFailure();
    Await.until("terminal callback only once", () -> r.callbacks.get() >= 1);
    if (!r.results.isEmpty()) {
      throw new AssertionError("expected only a failure, got results " + r.results);
    }
    return f;
  }

  /** Prepares a named statement and waits. */
  static void prepare(Session s, String name, String sql) {
    Object[] outcome = new Object[1];
    s.prepare(name, sql, new PrepareReceiver() {
      @Override
      public void pgStatementPrepared(Session session, String n) {
        outcome[0] = "ok";
      }

      @Override
      public void pgPrepareFailed(Session session, String n, QueryFailure f) {
        outcome[0] = f;
      }
    });
    Await.until("prepare " + name, () -> outcome[0] != null);
    if (outcome[0] != "ok") {
      throw new AssertionError("prepare failed: " + outcome[0]);
    }
  }

  /** @return the OID of a type, looked up on the server */
  static int oid(Session s, String typeName) {
    return ((Number) simple(s, "SELECT '" + typeName + "'::regtype::oid").get(0).get(0)).intValue();
  }

  /** @return the array OID of a type */
  static int arrayOid(Session s, int oid) {
    return ((Number) simple(s, "SELECT typarray FROM pg_type WHERE oid = " + oid).get(0).get(0)).intValue();
  }

  /** @return the format codes of the columns */
  static List<Short> formats(Rows rows) {
    return rows.columns().stream().map(Column::format).toList();
  }

  /** Deep value equality: byte[] by content, into PgArray and PgComposite. */
  static boolean same(Object a, Object b) {
    if (a == b) {
      return true;
    }
    if (a == null || b == null) {
      return false;
    }
    if (a instanceof byte[] x && b instanceof byte[] y) {
      return Arrays.equals(x, y);
    }
    if (a instanceof PgArray x && b instanceof PgArray y) {
      return x.elementOid() == y.elementOid() && sameList(x.elements(), y.elements());
    }
    if (a instanceof PgComposite x && b instanceof PgComposite y) {
      return x.typeOid() == y.typeOid() && x.fieldNames().equals(y.fieldNames())
          && x.fieldOids().equals(y.fieldOids()) && sameList(x.fields(), y.fields());
    }
    if (a.getClass().isArray() && b.getClass().isArray()) {
      int n = Array.getLength(a);
      if (n != Array.getLength(b)) {
        return false;
      }
      for (int i = 0; i < n; i++) {
        if (!same(Array.get(a, i), Array.get(b, i))) {
          return false;
        }
      }
      return true;
    }
    return Objects.equals(a, b);
  }

  private static boolean sameList(List<Object> a, List<Object> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!same(a.get(i), b.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** @return a readable form (byte arrays as hex) */
  static String show(Object v) {
    if (v instanceof byte[] b) {
      StringBuilder sb = new StringBuilder("0x");
      for (byte x : b) {
        sb.append(String.format("%02x", x));
      }
      return sb.toString();
    }
    return v == null ? "null" : v + " (" + v.getClass().getSimpleName() + ")";
  }
}
