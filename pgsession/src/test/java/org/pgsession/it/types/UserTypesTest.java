package org.pgsession.it.types;

import org.pgsession.invariants.SessionInvariants;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pgsession.it.types.TypeSessions.arrayOid;
import static org.pgsession.it.types.TypeSessions.oid;
import static org.pgsession.it.types.TypeSessions.prepared;
import static org.pgsession.it.types.TypeSessions.run;
import static org.pgsession.it.types.TypeSessions.same;
import static org.pgsession.it.types.TypeSessions.simple;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgsession.Row;
import org.pgsession.Rows;
import org.pgsession.Session;
import org.pgsession.it.Sessions;
import org.pgsession.testkit.PgTestExtension;
import org.pgsession.types.Codec;
import org.pgsession.types.CodecRegistry;
import org.pgsession.types.CompositeField;
import org.pgsession.types.CompositeValue;
import org.pgsession.types.Format;
import org.pgsession.types.PgArray;
import org.pgsession.types.PgComposite;
import org.pgsession.types.RawBytes;

/** Enums, composites, custom codecs and unknown types end to end. */
@ExtendWith(PgTestExtension.class)
@ExtendWith(SessionInvariants.class) // no driver channel or timer may outlive a test
class UserTypesTest {
  static final int POINT = 600;
  static final int POINT_ARRAY = 1017;

  /** A test value type for PostgreSQL's point. */
  record Point(double x, double y) {}

  /** point in binary: two float8. */
  static final Codec BINARY_POINT = new Codec() {
    @Override public Format format() {
      return Format.BINARY;
    }

    @Override public Class<?> javaType() {
      return Point.class;
    }

    @Override public byte[] encode(Object value) {
      Point p = (Point) value;
      return ByteBuffer.allocate(16).putDouble(p.x()).putDouble(p.y()).array();
    }

    @Override public Object decode(ByteBuffer data) {
      if (data.remaining() != 16) {
        throw new IllegalArgumentException("point needs 16 bytes, got " + data.remaining());
      }
      return new Point(data.getDouble(), data.getDouble());
    }
  };

  /** point in text: (x,y). */
  static final Codec TEXT_POINT = new Codec() {
    @Override public Format format() {
      return Format.TEXT;
    }

    @Override public Class<?> javaType() {
      return Point.class;
    }

    @Override public byte[] encode(Object value) {
      Point p = (Point) value;
      return ("(" + p.x() + "," + p.y() + ")").getBytes(StandardCharsets.UTF_8);
    }

    @Override public Object decode(ByteBuffer data) {
      String s = StandardCharsets.UTF_8.decode(data).toString();
      String[] xy = s.substring(1, s.length() - 1).split(",");
      return new Point(Double.parseDouble(xy[0]), Double.parseDouble(xy[1]));
    }
  };

  private static int mood;
  private static int moodArray;
  private static int inner;
  private static int innerArray;
  private static int outer;
  private static int withPoint;
  private static CodecRegistry registry;
  private static Sessions.Open open;

  @BeforeAll
  static void createTypes() {
    try (Sessions.Open setup = Sessions.open()) {
      Session s = setup.session();
      run(s, "DROP TYPE IF EXISTS ittypes_outer, ittypes_inner, ittypes_haspoint, ittypes_mood CASCADE; "
          + "CREATE TYPE ittypes_mood AS ENUM ('sad', 'ok', 'happy', 'a \"quoted\", odd one'); "
          + "CREATE TYPE ittypes_inner AS (label text, n int4, m ittypes_mood); "
          + "CREATE TYPE ittypes_outer AS (id int8, inner_val ittypes_inner, tags text[], inners ittypes_inner[], "
          + "at timestamptz); "
          + "CREATE TYPE ittypes_haspoint AS (p point, n int4)");
      mood = oid(s, "ittypes_mood");
      moodArray = arrayOid(s, mood);
      inner = oid(s, "ittypes_inner");
      innerArray = arrayOid(s, inner);
      outer = oid(s, "ittypes_outer");
      withPoint = oid(s, "ittypes_haspoint");
    }
    registry = CodecRegistry.defaults()
        .withEnumType(mood)
        .withArrayType(moodArray, mood)
        .withCompositeType(inner, List.of(new CompositeField("label", 25), new CompositeField("n", 23),
            new CompositeField("m", mood)))
        .withArrayType(innerArray, inner)
        .withCompositeType(outer, List.of(new CompositeField("id", 20), new CompositeField("inner_val", inner),
            new CompositeField("tags", 1009), new CompositeField("inners", innerArray),
            new CompositeField("at", 1184)))
        .withCompositeType(withPoint, List.of(new CompositeField("p", POINT), new CompositeField("n", 23)))
        .withCodec(POINT, BINARY_POINT)
        .withArrayType(POINT_ARRAY, POINT);
    open = TypeSessions.open(registry);
  }

  @AfterAll
  static void close() {
    if (open != null) {
      open.close();
    }
  }

  private static Session s() {
    return open.session();
  }

  private static PgComposite innerValue(String label, Integer n, String m) {
    return PgComposite.fromFields(inner, List.of(new CompositeValue("label", 25, label),
        new CompositeValue("n", 23, n), new CompositeValue("m", mood, m)));
  }

  /** Checks a query gives the expected value in binary (extended) and text (simple). */
  private static void bothFormats(String sql, Object expected) {
    Rows bin = prepared(s(), sql);
    Rows text = simple(s(), sql);
    assertThat(bin.columns().get(0).format()).as("binary format of %s", sql).isEqualTo((short) 1);
    assertThat(text.columns().get(0).format()).isEqualTo((short) 0);
    assertThat(same(bin.get(0).get(0), expected)).as("binary %s: got %s want %s", sql, bin.get(0).get(0), expected)
        .isTrue();
    assertThat(same(text.get(0).get(0), expected)).as("text %s: got %s want %s", sql, text.get(0).get(0), expected)
        .isTrue();
  }

  @Test
  void enumsDecodeToLabelsAndEncodeFromStrings() {
    bothFormats("SELECT 'happy'::ittypes_mood", "happy");
    bothFormats("SELECT 'a \"quoted\", odd one'::ittypes_mood", "a \"quoted\", odd one");
    bothFormats("SELECT '{sad,NULL,\"a \\\"quoted\\\", odd one\"}'::ittypes_mood[]",
        new PgArray(mood, Arrays.asList("sad", null, "a \"quoted\", odd one")));
    bothFormats("SELECT '{}'::ittypes_mood[]", new PgArray(mood, List.of()));
    assertThat(prepared(s(), "SELECT $1::ittypes_mood", "ok").get(0).get(0)).isEqualTo("ok");
    PgArray moods = new PgArray(mood, Arrays.asList("happy", null, "sad"));
    assertThat(prepared(s(), "SELECT $1::ittypes_mood[]", moods).get(0).get(0)).isEqualTo(moods);
    assertThat(prepared(s(), "SELECT $1 = ARRAY['happy', NULL, 'sad']::ittypes_mood[]", moods).get(0).get(0))
        .isEqualTo(true); // array equality treats NULL elements as equal
  }

  @Test
  void compositesNestedAndInArraysInBothFormats() {
    PgComposite a = innerValue("x,\"y\" (z)\\", null, "sad");
    PgComposite b = innerValue("", 1, "ok");
    PgComposite o = PgComposite.fromFields(outer, List.of(
        new CompositeValue("id", 20, 7L),
        new CompositeValue("inner_val", inner, a),
        new CompositeValue("tags", 1009, new PgArray(25, Arrays.asList("a", null, "", "NULL"))),
        new CompositeValue("inners", innerArray, new PgArray(inner, Arrays.asList(b, null, a))),
        new CompositeValue("at", 1184, OffsetDateTime.of(2024, 3, 10, 7, 30, 0, 0, ZoneOffset.UTC))));
    bothFormats("SELECT ROW('', 1, 'ok')::ittypes_inner", b);
    bothFormats("SELECT ROW(NULL, NULL, NULL)::ittypes_inner", innerValue(null, null, null));
    String lit = "ROW(7, ROW(E'x,\"y\" (z)\\\\', NULL, 'sad')::ittypes_inner, ARRAY['a', NULL, '', 'NULL'], "
        + "ARRAY[ROW('', 1, 'ok')::ittypes_inner, NULL, ROW(E'x,\"y\" (z)\\\\', NULL, 'sad')::ittypes_inner], "
        + "'2024-03-10 07:30:00+00')::ittypes_outer";
    bothFormats("SELECT " + lit, o);
    bothFormats("SELECT ARRAY[ROW('', 1, 'ok')::ittypes_inner, NULL]",
        new PgArray(inner, Arrays.asList(b, null)));
    // composites as parameters: flat, nested, arrays of them
    assertThat(same(prepared(s(), "SELECT $1::ittypes_inner", a).get(0).get(0), a)).isTrue();
    assertThat(same(prepared(s(), "SELECT $1::ittypes_outer", o).get(0).get(0), o)).isTrue();
    assertThat(prepared(s(), "SELECT $1 = " + lit, o).get(0).get(0)).isEqualTo(true);
    assertThat(prepared(s(), "SELECT ($1::ittypes_outer).inner_val.label", o).get(0).get(0)).isEqualTo(a.get(0));
    PgArray arr = new PgArray(inner, Arrays.asList(a, null, b));
    assertThat(same(prepared(s(), "SELECT $1::ittypes_inner[]", arr).get(0).get(0), arr)).isTrue();
    // compatible Java types are converted to the registered field type (Integer for int8)
    PgComposite loose = PgComposite.fromFields(outer, List.of(new CompositeValue("id", 20, 9),
        new CompositeValue("inner_val", inner, null), new CompositeValue("tags", 1009, null),
        new CompositeValue("inners", innerArray, null), new CompositeValue("at", 1184, null)));
    PgComposite back = (PgComposite) prepared(s(), "SELECT $1::ittypes_outer", loose).get(0).get(0);
    assertThat(back.get("id")).isEqualTo(9L);
    // stored and read back from a table
    run(s(), "CREATE TEMP TABLE ittypes_t (o ittypes_outer)");
    prepared(s(), "INSERT INTO ittypes_t VALUES ($1) RETURNING 1", o);
    bothFormats("SELECT o FROM ittypes_t", o);
  }

  @Test
  void customBinaryCodecDecodesResultsAndEncodesParameters() {
    Rows r = prepared(s(), "SELECT '(1.5,-2)'::point AS p");
    assertThat(r.columns().get(0).format()).isEqualTo((short) 1);
    assertThat(r.get(0).get("p")).isEqualTo(new Point(1.5, -2));
    // the codec is binary: in text format the value decodes as an unknown type
    assertThat(simple(s(), "SELECT '(1.5,-2)'::point").get(0).get(0)).isEqualTo("(1.5,-2)");
    assertThat(prepared(s(), "SELECT $1::point", new Point(3, 4)).get(0).get(0)).isEqualTo(new Point(3, 4));
    assertThat(prepared(s(), "SELECT $1 <-> point '(0,0)'", new Point(3, 4)).get(0).get(0)).isEqualTo(5.0);
    PgArray points = new PgArray(POINT, Arrays.asList(new Point(1, 2), null, new Point(-0.5, 1e300)));
    Rows ra = prepared(s(), "SELECT $1::point[]", points);
    assertThat(ra.get(0).get(0)).isEqualTo(points);
    assertThat(prepared(s(), "SELECT ARRAY[point '(1,2)', NULL, point '(-0.5,1e300)']").get(0).get(0))
        .isEqualTo(points);
    PgComposite hp = PgComposite.fromFields(withPoint, List.of(new CompositeValue("p", POINT, new Point(1, 2)),
        new CompositeValue("n", 23, 5)));
    assertThat(prepared(s(), "SELECT ROW(point '(1,2)', 5)::ittypes_haspoint").get(0).get(0)).isEqualTo(hp);
    assertThat(prepared(s(), "SELECT $1::ittypes_haspoint", hp).get(0).get(0)).isEqualTo(hp);
  }

  @Test
  void customTextCodecDecodesResultsAndEncodesParameters() {
    try (Sessions.Open t = TypeSessions.open(CodecRegistry.defaults().withCodec(POINT, TEXT_POINT))) {
      Rows r = prepared(t.session(), "SELECT '(1.5,-2)'::point AS p, 1 AS n");
      assertThat(r.columns().get(0).format()).isEqualTo((short) 0);
      assertThat(r.columns().get(1).format()).isEqualTo((short) 1);
      assertThat(r.get(0).get("p")).isEqualTo(new Point(1.5, -2));
      assertThat(simple(t.session(), "SELECT '(1.5,-2)'::point").get(0).get(0)).isEqualTo(new Point(1.5, -2));
      assertThat(prepared(t.session(), "SELECT $1::point", new Point(3, 4)).get(0).get(0)).isEqualTo(new Point(3, 4));
      assertThat(prepared(t.session(), "SELECT $1 <-> point '(0,0)'", new Point(3, 4)).get(0).get(0))
          .isEqualTo(5.0);
    }
  }

  @Test
  void collidingRegistrationsAreRejected() {
    assertThatThrownBy(() -> CodecRegistry.defaults().withCodec(23, BINARY_POINT))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CodecRegistry.defaults().withCodec(POINT, BINARY_POINT).withCodec(POINT, TEXT_POINT))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> registry.withCodec(POINT, TEXT_POINT)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> registry.withEnumType(mood)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> registry.withCompositeType(mood, List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> registry.withArrayType(1007, 23)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CodecRegistry.defaults().withEnumType(25)).isInstanceOf(IllegalArgumentException.class);
    // the original registry is unchanged by the failed attempts
    assertThat(prepared(s(), "SELECT '(1,2)'::point").get(0).get(0)).isEqualTo(new Point(1, 2));
  }

  @Test
  void unknownTypesAreStringsInTextAndRawBytesInBinary() {
    try (Sessions.Open d = Sessions.open()) {
      // text format: the server's text
      assertThat(simple(d.session(), "SELECT '(1,2)'::point").get(0).get(0)).isEqualTo("(1,2)");
      assertThat(simple(d.session(), "SELECT 'ok'::ittypes_mood").get(0).get(0)).isEqualTo("ok");
      assertThat(simple(d.session(), "SELECT ROW(point '(1,2)', 5)::ittypes_haspoint").get(0).get(0))
          .isEqualTo("(\"(1,2)\",5)");
      // the extended protocol asks for unknown types in text (there is nothing to decode binary with)
      Rows r = prepared(d.session(), "SELECT '(1,2)'::point, '{sad}'::ittypes_mood[]");
      assertThat(r.columns().get(0).format()).isEqualTo((short) 0);
      assertThat(r.get(0).get(0)).isEqualTo("(1,2)");
      assertThat(r.get(0).get(1)).isEqualTo("{sad}");
      // binary format of an unknown type: the server's own binary bytes, kept raw
      byte[] wire = (byte[]) prepared(d.session(), "SELECT point_send('(1,2)'::point)").get(0).get(0);
      assertThat(wire).hasSize(16);
      Object raw = CodecRegistry.defaults().decode(POINT, Format.BINARY, ByteBuffer.wrap(wire));
      assertThat(raw).isEqualTo(new RawBytes(POINT, wire));
      assertThat(ByteBuffer.wrap(((RawBytes) raw).data()).getDouble(8)).isEqualTo(2.0);
    }
    // a composite field of an unknown type keeps the whole composite in text; the field is a String
    try (Sessions.Open t = TypeSessions.open(CodecRegistry.defaults().withCompositeType(withPoint,
        List.of(new CompositeField("p", POINT), new CompositeField("n", 23))))) {
      Rows r = prepared(t.session(), "SELECT ROW(point '(1,2)', 5)::ittypes_haspoint");
      assertThat(r.columns().get(0).format()).isEqualTo((short) 0);
      Row row = r.get(0);
      PgComposite c = (PgComposite) row.get(0);
      assertThat(c.get("p")).isEqualTo("(1,2)");
      assertThat(c.get("n")).isEqualTo(5);
    }
  }
}
