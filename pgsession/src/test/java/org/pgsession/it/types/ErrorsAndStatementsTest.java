package org.pgsession.it.types;

import org.pgsession.invariants.SessionInvariants;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pgsession.it.types.TypeSessions.failure;
import static org.pgsession.it.types.TypeSessions.prepare;
import static org.pgsession.it.types.TypeSessions.prepared;
import static org.pgsession.it.types.TypeSessions.rows;
import static org.pgsession.it.types.TypeSessions.simple;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgsession.ClientQueryError;
import org.pgsession.ErrorResponseMessage;
import org.pgsession.NamedPreparedQuery;
import org.pgsession.PreparedQuery;
import org.pgsession.QueryFailure;
import org.pgsession.Row;
import org.pgsession.Rows;
import org.pgsession.Session;
import org.pgsession.SimpleQuery;
import org.pgsession.it.ResultRecorder;
import org.pgsession.it.Sessions;
import org.pgsession.testkit.PgTestExtension;
import org.pgsession.types.Codec;
import org.pgsession.types.CodecRegistry;
import org.pgsession.types.Format;

/** DataError cases, named statements and Row's typed getters against the real server. */
@ExtendWith(PgTestExtension.class)
@ExtendWith(SessionInvariants.class) // no driver channel or timer may outlive a test
class ErrorsAndStatementsTest {
  /** A value type whose codec refuses to encode. */
  record Refused(String why) {}

  /** A point codec whose encode always throws IAE and whose decode always throws. */
  static final Codec BROKEN = new Codec() {
    @Override public Format format() {
      return Format.BINARY;
    }

    @Override public Class<?> javaType() {
      return Refused.class;
    }

    @Override public byte[] encode(Object value) {
      throw new IllegalArgumentException("refused: " + ((Refused) value).why());
    }

    @Override public Object decode(ByteBuffer data) {
      throw new IllegalStateException("cannot decode points today");
    }
  };

  private static void assertUsable(Session s) {
    assertThat(prepared(s, "SELECT $1::int4 + 1", 41).get(0).get(0)).isEqualTo(42);
    assertThat(simple(s, "SELECT 'still here'").get(0).get(0)).isEqualTo("still here");
  }

  private static String dataError(QueryFailure f) {
    assertThat(f).isInstanceOf(ClientQueryError.DataError.class);
    return ((ClientQueryError.DataError) f).message();
  }

  @Test
  void unencodableParametersFailWithDataErrorNamingTheParameter() {
    try (Sessions.Open o = Sessions.open()) {
      String m = dataError(failure(o.session(), PreparedQuery.of("SELECT $1", new Object())));
      assertThat(m).contains("$1").contains("java.lang.Object");
      assertUsable(o.session());
      m = dataError(failure(o.session(), PreparedQuery.of("SELECT $1, $2", 1, new java.util.Date())));
      assertThat(m).contains("$2").contains("java.util.Date");
      assertUsable(o.session());
      // a built-in type the codec refuses (sub-microsecond precision)
      m = dataError(failure(o.session(), PreparedQuery.of("SELECT $1::time",
          java.time.LocalTime.of(1, 2, 3, 1))));
      assertThat(m).contains("$1");
      assertUsable(o.session());
      // an element of an array
      m = dataError(failure(o.session(), PreparedQuery.of("SELECT $1::int4[]",
          new org.pgsession.types.PgArray(23, List.of(1, "two")))));
      assertThat(m).contains("$1");
      assertUsable(o.session());
    }
  }

  @Test
  void customCodecFailuresAreDataErrors() {
    try (Sessions.Open o = TypeSessions.open(CodecRegistry.defaults().withCodec(600, BROKEN))) {
      Session s = o.session();
      String m = dataError(failure(s, PreparedQuery.of("SELECT $1::point", new Refused("no"))));
      assertThat(m).contains("$1").contains("refused: no");
      assertUsable(s);
      // decode failure in binary, on every row of a multi-row result: one failure, session fine
      m = dataError(failure(s, PreparedQuery.of(
          "SELECT i, point(i, i) AS the_point FROM generate_series(1, 50) i")));
      assertThat(m).contains("the_point").contains("cannot decode points today");
      assertUsable(s);
      // the next statement over the same (cached) description fails the same way, then recovers
      dataError(failure(s, PreparedQuery.of("SELECT i, point(i, i) AS the_point FROM generate_series(1, 50) i")));
      assertUsable(s);
    }
  }

  @Test
  void textCodecDecodeFailureInSimpleQueryIsDataError() {
    Codec badText = new Codec() {
      @Override public Format format() {
        return Format.TEXT;
      }

      @Override public Class<?> javaType() {
        return Refused.class;
      }

      @Override public byte[] encode(Object value) {
        return null; // a broken codec
      }

      @Override public Object decode(ByteBuffer data) {
        throw new IllegalArgumentException("bad point text");
      }
    };
    try (Sessions.Open o = TypeSessions.open(CodecRegistry.defaults().withCodec(600, badText))) {
      Session s = o.session();
      ResultRecorder r = new ResultRecorder();
      s.execute(new SimpleQuery("SELECT 1; SELECT point(1, 2) AS pt; SELECT 3"), r);
      QueryFailure f = r.awaitFailure();
      assertThat(dataError(f)).contains("pt").contains("bad point text");
      assertUsable(s);
      assertThat(r.failures).hasSize(1);
      assertThat(r.results).hasSize(1); // the first statement's result; the third is dropped
      String m = dataError(failure(s, PreparedQuery.of("SELECT $1::point", new Refused("x"))));
      assertThat(m).contains("$1");
      assertUsable(s);
    }
  }

  @Test
  void namedStatementsRunManyTimesUntilClosed() {
    try (Sessions.Open o = Sessions.open()) {
      Session s = o.session();
      prepare(s, "ittypes_stmt", "SELECT $1::int8 * 2 AS twice, $2::text AS label, $3::numeric AS n");
      List<ResultRecorder> recs = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        ResultRecorder r = new ResultRecorder();
        s.execute(NamedPreparedQuery.of("ittypes_stmt", (long) i, "x" + i,
            i % 7 == 0 ? null : java.math.BigDecimal.valueOf(i, 2)), r);
        recs.add(r);
      }
      for (int i = 0; i < 100; i++) {
        Rows rows = ((org.pgsession.ResultSet) recs.get(i).awaitResult()).rows();
        assertThat(rows.columns()).allSatisfy(c -> assertThat(c.format()).isEqualTo((short) 1));
        Row row = rows.get(0);
        assertThat(row.getLong("twice")).isEqualTo(2L * i);
        assertThat(row.getString("label")).isEqualTo("x" + i);
        assertThat(row.get("n")).isEqualTo(i % 7 == 0 ? null : java.math.BigDecimal.valueOf(i, 2));
      }
      s.closeStatement("ittypes_stmt");
      QueryFailure f = failure(s, NamedPreparedQuery.of("ittypes_stmt", 1L, "y", null));
      assertThat(f).isInstanceOf(ErrorResponseMessage.class);
      assertThat(((ErrorResponseMessage) f).code()).isEqualTo("26000");
      assertUsable(s);
      // the name can be prepared again, with different columns
      prepare(s, "ittypes_stmt", "SELECT $1::text || '!' AS shout");
      assertThat(rows(s, NamedPreparedQuery.of("ittypes_stmt", "hey")).get(0).get(0)).isEqualTo("hey!");
    }
  }

  @Test
  void namedStatementParametersAreSentAsTheTypesTheServerFixed() {
    try (Sessions.Open o = Sessions.open()) {
      Session s = o.session();
      // the server infers int8, float8, numeric, int8[] and text for these parameters
      prepare(s, "ittypes_conv", "SELECT $1::int8 + 1 AS a, $2::float8 AS b, $3::numeric AS c, "
          + "$4::int8[] AS d, $5 || '!' AS e");
      Row r = rows(s, NamedPreparedQuery.of("ittypes_conv", 5, 1.5f, 7,
          new org.pgsession.types.PgArray(23, java.util.Arrays.asList(1, null)), "hi")).get(0);
      assertThat(r.get("a")).isEqualTo(6L);
      assertThat(r.get("b")).isEqualTo(1.5);
      assertThat(r.get("c")).isEqualTo(java.math.BigDecimal.valueOf(7));
      assertThat(r.get("d")).isEqualTo(new org.pgsession.types.PgArray(20, java.util.Arrays.asList(1L, null)));
      assertThat(r.get("e")).isEqualTo("hi!");
      // exactly matching types and text (String) parameters are unchanged
      r = rows(s, NamedPreparedQuery.of("ittypes_conv", 5L, 2.5, new java.math.BigDecimal("1.10"),
          new org.pgsession.types.PgArray(20, List.of(3L)), "x")).get(0);
      assertThat(r.get("a")).isEqualTo(6L);
      assertThat(r.get("c")).isEqualTo(new java.math.BigDecimal("1.10"));
      r = rows(s, NamedPreparedQuery.of("ittypes_conv", "41", "0.25", "1e3", "{1,2}", "y")).get(0);
      assertThat(r.get("a")).isEqualTo(42L);
      assertThat(r.get("b")).isEqualTo(0.25);
      // a value that does not fit the fixed type is a DataError, not bytes the server misreads
      String m = dataError(failure(s, NamedPreparedQuery.of("ittypes_conv", 1.5, 1.0, 1, null, "z")));
      assertThat(m).contains("$1");
      m = dataError(failure(s, NamedPreparedQuery.of("ittypes_conv", 1L, 1.0, 1, null, 99L)));
      assertThat(m).contains("$5");
      assertUsable(s);
      // also in pipelines
      prepare(s, "ittypes_conv2", "SELECT $1::int8 * 2");
      java.util.List<Object> got = new java.util.concurrent.CopyOnWriteArrayList<>();
      s.pipeline(List.of(NamedPreparedQuery.of("ittypes_conv2", 21), PreparedQuery.of("SELECT $1::int8", 3)),
          new org.pgsession.PipelineReceiver() {
            @Override public void pgPipelineResult(Session session, int index, org.pgsession.Result result) {
              got.add(((org.pgsession.ResultSet) result).rows().get(0).get(0));
            }

            @Override public void pgPipelineFailed(Session session, int index, org.pgsession.ExtendedQuery q,
                QueryFailure f) {
              got.add(f);
            }

            @Override public void pgPipelineComplete(Session session) {
              got.add("done");
            }
          });
      org.pgsession.it.Await.until("pipeline", () -> got.contains("done"));
      assertThat(got).containsExactly(42L, 3L, "done");
    }
  }

  @Test
  void typedGettersWidenOrNameTheColumn() {
    try (Sessions.Open o = Sessions.open()) {
      for (boolean binary : new boolean[] {true, false}) {
        String sql = "SELECT 7::int4 AS i4, (-3)::int2 AS i2, 1.5::float4 AS f4, 'txt'::text AS t, "
            + "3000000000::int8 AS big, 2.50::numeric AS n, true AS b, '\\x01'::bytea AS by, NULL::int4 AS nothing";
        Rows rows = binary ? prepared(o.session(), sql) : simple(o.session(), sql);
        assertThat(rows.columns().get(0).format()).isEqualTo((short) (binary ? 1 : 0));
        Row r = rows.get(0);
        assertThat(r.getLong(0)).isEqualTo(7L);
        assertThat(r.getLong("i2")).isEqualTo(-3L);
        assertThat(r.getInteger("i2")).isEqualTo(-3);
        assertThat(r.get("i4", Long.class)).isEqualTo(7L);
        assertThat(r.getDouble("f4")).isEqualTo(1.5);
        assertThat(r.getDouble("i4")).isEqualTo(7.0);
        assertThat(r.getDouble("n")).isEqualTo(2.5);
        assertThat(r.getLong("big")).isEqualTo(3_000_000_000L);
        assertThat(r.getBoolean("b")).isTrue();
        assertThat(r.getBytes("by")).containsExactly(1);
        assertThat(r.getLong("nothing")).isNull();
        assertThat(r.isNull(8)).isTrue();
        assertThat(r.getString("i4")).isEqualTo("7");
        assertThatThrownBy(() -> r.get(3, Integer.class)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("t");
        assertThatThrownBy(() -> r.getInteger("big")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("big");
        assertThatThrownBy(() -> r.getLong("n")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("'n'");
        assertThatThrownBy(() -> r.get("i4", String.class)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("i4");
        assertThatThrownBy(() -> r.getBoolean("i4")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("i4");
        assertThatThrownBy(() -> r.getBytes("t")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("'t'");
        assertThat(r.get("f4", Float.class)).isEqualTo(1.5f);
        assertThatThrownBy(() -> r.get("f4", Integer.class))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("f4");
        assertThatThrownBy(() -> r.get("missing")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("missing");
      }
    }
  }
}
