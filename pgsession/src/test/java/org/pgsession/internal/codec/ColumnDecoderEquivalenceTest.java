package org.pgsession.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pgsession.types.Codec;
import org.pgsession.types.CodecRegistry;
import org.pgsession.types.CompositeField;
import org.pgsession.types.EncodedValue;
import org.pgsession.types.Format;
import org.pgsession.types.PgArray;
import org.pgsession.types.PgComposite;
import org.pgsession.types.PgInterval;

/**
 * The zero-copy column decoders against the reference: for every type and format, decoding
 * bytes in place from a pooled direct buffer (at an odd offset, between junk bytes) must give
 * the value {@link CodecRegistry#decode} gives for the same bytes, or both must reject them with
 * IllegalArgumentException. Valid encodings, boundary texts, bit flips, truncations and random
 * bytes; {@code -Dpgsession.seed=N} replays.
 */
class ColumnDecoderEquivalenceTest {
  private static final int COMPOSITE = 90001;
  private static final int CUSTOM_BINARY = 90003;
  private static final int CUSTOM_TEXT = 90004;
  private static final int ENUM = 90005;
  private static final int UNKNOWN = 90006;

  /** Keeps the ByteBuffer it is given and reads it only when the value is inspected. */
  record Lazy(ByteBuffer data) {
    String hex() {
      ByteBuffer d = data.duplicate();
      byte[] b = new byte[d.remaining()];
      d.get(b);
      return HexFormat.of().formatHex(b);
    }
  }

  private static Codec lazyCodec(Format format) {
    return new Codec() {
      @Override public Format format() {
        return format;
      }

      @Override public Class<?> javaType() {
        return Lazy.class;
      }

      @Override public byte[] encode(Object value) {
        throw new UnsupportedOperationException();
      }

      @Override public Object decode(ByteBuffer data) {
        if (data.remaining() == 3) {
          throw new IllegalArgumentException("three bytes are malformed here");
        }
        return new Lazy(data);
      }
    };
  }

  private static final CodecRegistry R = CodecRegistry.defaults()
      .withCompositeType(COMPOSITE, List.of(new CompositeField("a", 23),
          new CompositeField("b", 1009), new CompositeField("c", CUSTOM_BINARY)))
      .withArrayType(90002, COMPOSITE)
      .withCodec(CUSTOM_BINARY, lazyCodec(Format.BINARY))
      .withCodec(CUSTOM_TEXT, lazyCodec(Format.TEXT))
      .withEnumType(ENUM);
  private static final TypeTable T = TypeTable.of(R);
  private static final int[] OIDS = {16, 17, 18, 19, 20, 21, 23, 25, 26, 114, 142, 700, 701, 1042,
      1043, 1082, 1083, 1114, 1184, 1186, 1266, 1700, 2950, 3802, 1000, 1001, 1005, 1007, 1009,
      1016, 1021, 1022, 1115, 1182, 1183, 1185, 1187, 1231, 1270, 2951, 3807, COMPOSITE, 90002,
      CUSTOM_BINARY, CUSTOM_TEXT, ENUM, UNKNOWN};

  private final long seed = Long.getLong("pgsession.seed", System.nanoTime());
  /** One decoder per (oid, format), reused across values as for the rows of one result. */
  private final Map<String, ColumnDecoder> decoders = new HashMap<>();

  private ByteBuf shared;

  @BeforeEach
  void allocate() {
    shared = PooledByteBufAllocator.DEFAULT.directBuffer(64);
  }

  @AfterEach
  void release() {
    shared.release();
  }

  private ColumnDecoder decoder(int oid, Format f) {
    return decoders.computeIfAbsent(oid + "/" + f, k -> T.columnDecoder(oid, f).forColumn());
  }

  /** Comparable form: byte arrays and lazily read buffers by content, recursively. */
  private static Object norm(Object v) {
    if (v instanceof byte[] b) {
      return "bytes:" + HexFormat.of().formatHex(b);
    }
    if (v instanceof Lazy l) {
      return "lazy:" + l.hex();
    }
    if (v instanceof PgArray a) {
      return "array" + a.elementOid() + norm(a.elements());
    }
    if (v instanceof PgComposite c) {
      return "composite" + c.typeOid() + c.fieldNames() + norm(c.fields());
    }
    if (v instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      for (Object o : list) {
        out.add(norm(o));
      }
      return out;
    }
    return v;
  }

  /** Decodes {@code b} both ways; the results (value or IAE) must agree. */
  private void check(int oid, Format f, byte[] b, String what) {
    java.util.function.Supplier<String> msg = () -> "seed " + seed + " oid " + oid + " " + f
        + " " + what + " bytes " + HexFormat.of().formatHex(b);
    Object expected;
    try {
      expected = norm(R.decode(oid, f, ByteBuffer.wrap(b.clone())));
    } catch (IllegalArgumentException e) {
      expected = IllegalArgumentException.class;
    }
    // One pooled direct buffer for all checks (paranoid leak tracking makes allocation slow).
    ByteBuf buf = shared.clear();
    Object actual;
    {
      buf.writeBytes(new byte[] {(byte) 0x80, 9, (byte) 0xFF}).writeBytes(b)
          .writeBytes(new byte[] {(byte) 0xC3, 7, 7, 7, 7});
      ColumnDecoder d = decoder(oid, f);
      try {
        Object v = d.decode(buf, 3, b.length);
        if (d.kind() != ColumnDecoder.REF) {
          assertThat(ColumnDecoder.box(d.kind(), d.decodeBits(buf, 3, b.length)))
              .as(() -> msg.get() + " (bits)").isEqualTo(v);
        }
        // Overwrite the buffer: the value must not depend on it any more.
        buf.setZero(0, buf.writerIndex());
        actual = norm(v);
      } catch (IllegalArgumentException e) {
        actual = IllegalArgumentException.class;
      } catch (Throwable t) {
        fail(msg.get() + " threw " + t, t);
        return;
      }
    }
    assertThat(actual).as(msg).isEqualTo(expected);
  }

  private void checkText(int oid, String s) {
    check(oid, Format.TEXT, s.getBytes(StandardCharsets.UTF_8), "text '" + s + "'");
  }

  @Test
  void validEncodingsOfEveryBuiltInTypeAgree() {
    List<Object> values = List.of(0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 2L,
        Long.MIN_VALUE, Long.MAX_VALUE, (short) 3, Short.MIN_VALUE, true, false, 1.5, -0.0,
        Double.NaN, Double.NEGATIVE_INFINITY, 2.5f, Float.NaN, new BigDecimal("-123.4500"),
        BigDecimal.ZERO, UUID.randomUUID(), LocalDate.of(2024, 1, 2), LocalDate.MAX, LocalDate.MIN,
        LocalDate.of(-4000, 3, 1), LocalTime.NOON, LocalTime.MAX, LocalTime.MIDNIGHT,
        OffsetTime.of(1, 2, 3, 4000, ZoneOffset.ofHours(-3)),
        LocalDateTime.of(1, 1, 1, 0, 0), LocalDateTime.of(1999, 12, 31, 23, 59, 59, 999_999_000),
        LocalDateTime.MAX, LocalDateTime.MIN, OffsetDateTime.MAX, OffsetDateTime.MIN,
        OffsetDateTime.of(2000, 1, 1, 0, 0, 0, 1000, ZoneOffset.UTC),
        OffsetDateTime.of(1900, 6, 1, 12, 0, 0, 0, ZoneOffset.ofHours(5)),
        new PgInterval(1, 2, 3), new byte[0], new byte[] {0, (byte) 0xFF, 0x7F},
        new PgArray(23, Arrays.asList(new PgArray(23, Arrays.asList(1, null)),
            new PgArray(23, Arrays.asList(3, 4)))),
        new PgArray(25, Arrays.asList("", null, "zürich €", "😀")),
        new PgArray(17, Arrays.asList(new byte[] {1, 2}, null)),
        new PgComposite(COMPOSITE, List.of("a", "b", "c"), List.of(23, 1009, CUSTOM_BINARY),
            Arrays.asList(1, new PgArray(25, Arrays.asList("x", null)), null)));
    for (Object v : values) {
      EncodedValue e = R.encode(v);
      check(e.oid(), Format.BINARY, e.bytes(), "value " + v);
      // Every type's bytes as every other type: wrong widths, wrong layouts.
      for (int oid : OIDS) {
        check(oid, Format.BINARY, e.bytes(), "value " + v + " of " + e.oid());
      }
    }
    for (String s : List.of("", "a", "zürich €", "😀 multi-byte", "\u0000", "x".repeat(5000))) {
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      for (int oid : new int[] {18, 19, 25, 114, 142, 1042, 1043, ENUM, UNKNOWN, CUSTOM_TEXT}) {
        check(oid, Format.BINARY, utf8, "string '" + s + "'");
        checkText(oid, s);
      }
      byte[] jsonb = new byte[utf8.length + 1];
      jsonb[0] = 1;
      System.arraycopy(utf8, 0, jsonb, 1, utf8.length);
      check(3802, Format.BINARY, jsonb, "jsonb '" + s + "'");
    }
    // Invalid UTF-8 becomes U+FFFD in both.
    check(25, Format.BINARY, new byte[] {'a', (byte) 0xC3, (byte) 0x28, (byte) 0xFF}, "bad utf8");
  }

  @Test
  void boundaryTextsAgree() {
    List<String> texts = List.of("", "0", "-0", "+0", "7", "+7", "-", "+", "--1", "1-", "007",
        "32767", "32768", "-32768", "-32769", "2147483647", "2147483648", "-2147483648",
        "-2147483649", "4294967295", "4294967296", "99999999999999999", "999999999999999999",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", " 1", "1 ", "1.0",
        "1e3", "\u0663", "t", "f", "true", "false", "TRUE", "on", "off", "yes", "no", "1", "x",
        "NaN", "Infinity", "-Infinity", "1.5", "-2.5e-3", "0x10", "1f", "1d", "infinity",
        "-infinity", "2024-01-02", "2024-01-02 03:04:05.123456", "2024-01-02 03:04:05+05:30",
        "24:00:00", "12:00:00+02", "1 day 02:03:04", "\\x00ff", "(1,\"{x,NULL}\",)",
        "{1,2,NULL}", "{}", "12345678-1234-1234-1234-123456789abc", "{\"a\": 1}", "-1.5");
    for (String s : texts) {
      for (int oid : OIDS) {
        checkText(oid, s);
      }
    }
  }

  @Test
  void randomAndCorruptedBytesAgree() {
    Random rnd = new Random(seed);
    String alphabet = "{}(),\"\\ 0123456789-+:.eNULTinfyBC[]=xé€";
    for (int i = 0; i < 8000; i++) {
      int oid = OIDS[rnd.nextInt(OIDS.length)];
      byte[] b = new byte[rnd.nextInt(rnd.nextInt(4) == 0 ? 4 : 40)];
      rnd.nextBytes(b);
      check(oid, Format.BINARY, b, "random");
      StringBuilder sb = new StringBuilder();
      for (int k = rnd.nextInt(30); k > 0; k--) {
        sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
      }
      checkText(oid, sb.toString());
    }
    for (Object v : List.of(1, 2L, (short) 3, true, 1.5, 2.5f, new BigDecimal("-123.4500"),
        UUID.randomUUID(), LocalDate.of(2024, 1, 2), LocalTime.NOON,
        LocalDateTime.of(2024, 5, 6, 7, 8), OffsetDateTime.of(2024, 5, 6, 7, 8, 9, 0,
        ZoneOffset.UTC), new PgInterval(1, 2, 3), "text")) {
      EncodedValue e = R.encode(v);
      byte[] full = e.bytes();
      for (int n = 0; n < full.length; n++) {
        check(e.oid(), Format.BINARY, Arrays.copyOf(full, n), "truncated " + v);
      }
      for (int k = 0; k < 100; k++) {
        byte[] b = full.clone();
        if (b.length > 0) {
          b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
        }
        check(e.oid(), Format.BINARY, b, "flipped " + v);
      }
    }
  }

  @Test
  void repeatedTimestampsShareOneValueAndChangesAreSeen() {
    ColumnDecoder d = T.columnDecoder(1184, Format.BINARY).forColumn();
    ColumnDecoder other = T.columnDecoder(1184, Format.BINARY).forColumn();
    assertThat(other).as("each column gets its own decoder").isNotSameAs(d);
    ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer();
    try {
      long a = 817_000_000_123_456L;
      buf.writeLong(a).writeLong(a).writeLong(a + 1).writeLong(a).writeLong(-a);
      Object first = d.decode(buf, 0, 8);
      assertThat(d.decode(buf, 8, 8)).isSameAs(first);
      Object next = d.decode(buf, 16, 8);
      assertThat(next).isNotEqualTo(first)
          .isEqualTo(((OffsetDateTime) first).plusNanos(1000));
      assertThat(d.decode(buf, 24, 8)).isEqualTo(first);
      for (int at = 0; at < 40; at += 8) {
        byte[] b = new byte[8];
        buf.getBytes(at, b);
        assertThat(d.decode(buf, at, 8)).isEqualTo(R.decode(1184, Format.BINARY, ByteBuffer.wrap(b)));
        assertThat(T.columnDecoder(1114, Format.BINARY).forColumn().decode(buf, at, 8))
            .isEqualTo(R.decode(1114, Format.BINARY, ByteBuffer.wrap(b)));
      }
    } finally {
      buf.release();
    }
  }

  @Test
  void customCodecsGetAByteBufferTheyMayKeep() {
    ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer();
    try {
      buf.writeBytes(new byte[] {1, 2, 3, 4});
      Lazy bin = (Lazy) T.columnDecoder(CUSTOM_BINARY, Format.BINARY).decode(buf, 0, 4);
      Lazy text = (Lazy) T.columnDecoder(CUSTOM_TEXT, Format.TEXT).decode(buf, 1, 2);
      buf.setZero(0, 4);
      assertThat(bin.hex()).isEqualTo("01020304");
      assertThat(text.hex()).isEqualTo("0203");
      assertThat(bin.data().position()).isZero();
      assertThat(bin.data().remaining()).isEqualTo(4);
    } finally {
      buf.release();
    }
  }
}
