package org.pgsession.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegistryTest {
  static final int POINT = 600;
  static final int MOOD = 50001;
  static final int MOOD_ARRAY = 50002;
  static final int ADDR = 50010;
  static final int ADDR_ARRAY = 50011;
  static final int PERSON = 50020;

  /** A made-up text codec for (x,y) points as double[2]. */
  static final Codec POINT_CODEC = new Codec() {
    @Override public Format format() {
      return Format.TEXT;
    }

    @Override public Class<?> javaType() {
      return double[].class;
    }

    @Override public byte[] encode(Object value) {
      double[] p = (double[]) value;
      return ("(" + p[0] + "," + p[1] + ")").getBytes(StandardCharsets.UTF_8);
    }

    @Override public Object decode(ByteBuffer data) {
      byte[] b = new byte[data.remaining()];
      data.get(b);
      String s = new String(b, StandardCharsets.UTF_8);
      if (!s.startsWith("(") || !s.endsWith(")")) {
        throw new IllegalArgumentException("bad point " + s);
      }
      String[] xy = s.substring(1, s.length() - 1).split(",");
      return new double[] {Double.parseDouble(xy[0]), Double.parseDouble(xy[1])};
    }
  };

  static CodecRegistry registry() {
    return CodecRegistry.defaults()
        .withCodec(POINT, POINT_CODEC)
        .withEnumType(MOOD)
        .withArrayType(MOOD_ARRAY, MOOD)
        .withCompositeType(ADDR, List.of(new CompositeField("street", 25),
            new CompositeField("zip", 23)))
        .withArrayType(ADDR_ARRAY, ADDR)
        .withCompositeType(PERSON, List.of(new CompositeField("name", 1043),
            new CompositeField("home", ADDR), new CompositeField("moods", MOOD_ARRAY),
            new CompositeField("born", 1082), new CompositeField("score", 1700),
            new CompositeField("id", 20)));
  }

  static PgComposite addr(String street, Integer zip) {
    return new PgComposite(ADDR, List.of("street", "zip"), List.of(25, 23),
        Arrays.asList(street, zip));
  }

  @Test
  void collisionsAreRejected() {
    CodecRegistry r = registry();
    assertThatThrownBy(() -> r.withCodec(23, POINT_CODEC)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("23");
    assertThatThrownBy(() -> r.withCodec(1007, POINT_CODEC)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> r.withCodec(POINT, POINT_CODEC)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> r.withEnumType(MOOD)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> r.withEnumType(ADDR)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> r.withCompositeType(25, List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> r.withArrayType(MOOD_ARRAY, 25)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> r.withArrayType(1009, 60000)).isInstanceOf(IllegalArgumentException.class);
    // immutability: the defaults are untouched
    assertThat(CodecRegistry.defaults().arrayOidFor(MOOD)).isZero();
    assertThat(r.arrayOidFor(MOOD)).isEqualTo(MOOD_ARRAY);
    assertThat(CodecRegistry.defaults().decode(MOOD, Format.BINARY, ByteBuffer.wrap(new byte[] {'a'})))
        .isEqualTo(new RawBytes(MOOD, new byte[] {'a'}));
  }

  @Test
  void customTextCodec() {
    CodecRegistry r = registry();
    double[] p = (double[]) Wire.text(r, POINT, "(1.5,2)");
    assertThat(p).containsExactly(1.5, 2.0);
    EncodedValue e = r.encode(new double[] {1.5, 2});
    assertThat(e.oid()).isEqualTo(POINT);
    assertThat(e.format()).isEqualTo(Format.TEXT);
    assertThat(new String(e.bytes(), StandardCharsets.UTF_8)).isEqualTo("(1.5,2.0)");
    assertThat(r.hasBinaryCodec(POINT)).isFalse();
    assertThat(r.formatFor(POINT)).isEqualTo(Format.TEXT);
    assertThatThrownBy(() -> Wire.text(r, POINT, "1,2")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Wire.text(r, POINT, "(1,)")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void customCodecMatchesSubtypes() {
    Codec cs = new Codec() {
      @Override public Format format() {
        return Format.BINARY;
      }

      @Override public Class<?> javaType() {
        return CharSequence.class;
      }

      @Override public byte[] encode(Object value) {
        return value.toString().getBytes(StandardCharsets.UTF_8);
      }

      @Override public Object decode(ByteBuffer data) {
        return new StringBuilder(StandardCharsets.UTF_8.decode(data));
      }
    };
    CodecRegistry r = CodecRegistry.defaults().withCodec(70000, cs);
    EncodedValue e = r.encode(new StringBuilder("sb"));
    assertThat(e.oid()).isEqualTo(70000);
    assertThat(e.format()).isEqualTo(Format.BINARY);
    assertThat(r.hasBinaryCodec(70000)).isTrue();
    assertThat(r.encode("plain").oid()).isZero();
    assertThatThrownBy(() -> CodecRegistry.defaults().encode(new StringBuilder("x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no codec for Java type");
  }

  @Test
  void enums() {
    CodecRegistry r = registry();
    assertThat(r.hasBinaryCodec(MOOD)).isTrue();
    assertThat(r.hasBinaryCodec(MOOD_ARRAY)).isTrue();
    assertThat(Wire.text(r, MOOD, "happy")).isEqualTo("happy");
    assertThat(r.decode(MOOD, Format.BINARY, Wire.awkward("happy".getBytes(StandardCharsets.UTF_8))))
        .isEqualTo("happy");
    PgArray moods = new PgArray(MOOD, Arrays.asList("sad", null, "ok"));
    assertThat(Wire.text(r, MOOD_ARRAY, "{sad,NULL,ok}")).isEqualTo(moods);
    assertThat(Wire.roundTrip(r, moods)).isEqualTo(moods);
    assertThat(r.encode(moods).oid()).isEqualTo(MOOD_ARRAY);
  }

  @Test
  void compositesTextAndBinary() {
    CodecRegistry r = registry();
    assertThat(r.hasBinaryCodec(PERSON)).isTrue();
    assertThat(Wire.text(r, ADDR, "(\"Main St 1\",12345)")).isEqualTo(addr("Main St 1", 12345));
    assertThat(Wire.text(r, ADDR, "(,)")).isEqualTo(addr(null, null));
    assertThat(Wire.text(r, ADDR, "(\"\",)")).isEqualTo(addr("", null));
    assertThat(Wire.text(r, ADDR, "(\"a \"\"q\"\" \\\\ b\\\"\",1)")).isEqualTo(addr("a \"q\" \\ b\"", 1));
    assertThat(Wire.text(r, ADDR, "(\"a,b\",2)")).isEqualTo(addr("a,b", 2));
    PgComposite person = new PgComposite(PERSON,
        List.of("name", "home", "moods", "born", "score", "id"),
        List.of(1043, ADDR, MOOD_ARRAY, 1082, 1700, 20),
        Arrays.asList("Ann", addr("x (y)", null), new PgArray(MOOD, Arrays.asList("ok", null)),
            LocalDate.of(1990, 5, 6), new BigDecimal("1.50"), 7L));
    // the server prints nested values quoted, doubling quotes and backslashes inside
    String printed = "(Ann,\"(\"\"x (y)\"\",)\",\"{ok,NULL}\",1990-05-06,1.50,7)";
    assertThat(Wire.text(r, PERSON, printed)).isEqualTo(person);
    EncodedValue e = r.encode(person);
    assertThat(e.oid()).isEqualTo(PERSON);
    assertThat(e.format()).isEqualTo(Format.BINARY);
    assertThat(Wire.roundTrip(r, person)).isEqualTo(person);
    // fields given as other Java types are converted to the declared field type
    PgComposite loose = PgComposite.fromFields(PERSON, List.of(
        new CompositeValue("name", 1043, "Bo"), new CompositeValue("home", ADDR, null),
        new CompositeValue("moods", MOOD_ARRAY, null), new CompositeValue("born", 1082, null),
        new CompositeValue("score", 1700, 3), new CompositeValue("id", 20, 5)));
    PgComposite back = (PgComposite) Wire.roundTrip(r, loose);
    assertThat(back.get("score")).isEqualTo(new BigDecimal(3));
    assertThat(back.get("id")).isEqualTo(5L);
    assertThat(back.get("home")).isNull();
  }

  @Test
  void arrayOfComposites() {
    CodecRegistry r = registry();
    PgArray a = new PgArray(ADDR, Arrays.asList(addr("a b", 1), null, addr(null, 2)));
    assertThat(Wire.text(r, ADDR_ARRAY, "{\"(\\\"a b\\\",1)\",NULL,\"(,2)\"}")).isEqualTo(a);
    assertThat(Wire.roundTrip(r, a)).isEqualTo(a);
    assertThat(r.hasBinaryCodec(ADDR_ARRAY)).isTrue();
  }

  @Test
  void compositeWithTextOnlyFieldHasNoBinaryCodec() {
    CodecRegistry r = registry().withCompositeType(50030, List.of(new CompositeField("p", POINT)));
    assertThat(r.hasBinaryCodec(50030)).isFalse();
    PgComposite c = (PgComposite) Wire.text(r, 50030, "(\"(1,2)\")");
    assertThat((double[]) c.get("p")).containsExactly(1.0, 2.0);
  }

  @Test
  void malformedComposites() {
    CodecRegistry r = registry();
    for (String s : new String[] {"(a)", "(a,1,2)", "a,1", "(a,1", "(a,x)", "(a,1)junk", "(\"a,1)"}) {
      assertThatThrownBy(() -> Wire.text(r, ADDR, s)).as(s).isInstanceOf(IllegalArgumentException.class);
    }
    byte[] wrongCount = Wire.hex("00000001" + "00000019" + "ffffffff");
    byte[] truncated = Wire.hex("00000002" + "00000019" + "00000005" + "6162");
    for (byte[] b : new byte[][] {wrongCount, truncated, new byte[2]}) {
      assertThatThrownBy(() -> r.decode(ADDR, Format.BINARY, ByteBuffer.wrap(b)))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> r.encode(new PgComposite(ADDR, List.of("street"), List.of(25),
        List.of("x")))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void unknownOids() {
    CodecRegistry r = CodecRegistry.defaults();
    assertThat(Wire.text(r, 123456, "(1,2)")).isEqualTo("(1,2)");
    assertThat(r.decode(123456, Format.BINARY, Wire.awkward(new byte[] {1, 2, 3})))
        .isEqualTo(new RawBytes(123456, new byte[] {1, 2, 3}));
    assertThat(r.hasBinaryCodec(123456)).isFalse();
    assertThat(r.hasBinaryCodec(23)).isTrue();
    assertThat(r.isKnown(123456)).isFalse();
    assertThatThrownBy(() -> r.encode(new Object())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.Object");
  }

  @Test
  void decodeDoesNotMoveTheCallersBuffer() {
    ByteBuffer b = ByteBuffer.allocate(10);
    b.position(2).limit(6);
    b.putInt(2, 42);
    assertThat(CodecRegistry.defaults().decode(23, Format.BINARY, b)).isEqualTo(42);
    assertThat(b.position()).isEqualTo(2);
    assertThat(b.limit()).isEqualTo(6);
  }

  @Test
  void customCodecThrowingOtherExceptionsIsWrapped() {
    Codec broken = new Codec() {
      @Override public Format format() {
        return Format.BINARY;
      }

      @Override public Class<?> javaType() {
        return Thread.class;
      }

      @Override public byte[] encode(Object value) {
        throw new IllegalStateException("nope");
      }

      @Override public Object decode(ByteBuffer data) {
        return data.getLong();
      }
    };
    CodecRegistry r = CodecRegistry.defaults().withCodec(70001, broken);
    assertThatThrownBy(() -> r.decode(70001, Format.BINARY, ByteBuffer.wrap(new byte[3])))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("70001");
    assertThatThrownBy(() -> r.encode(Thread.currentThread()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
