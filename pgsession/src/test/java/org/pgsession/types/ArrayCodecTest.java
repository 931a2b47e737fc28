package org.pgsession.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pgsession.types.Wire.binary;
import static org.pgsession.types.Wire.hex;
import static org.pgsession.types.Wire.roundTrip;
import static org.pgsession.types.Wire.text;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ArrayCodecTest {

  static PgArray arr(int oid, Object... e) {
    return new PgArray(oid, Arrays.asList(e));
  }

  @Test
  void builtinArrayOids() {
    int[][] pairs = {{16, 1000}, {17, 1001}, {18, 1002}, {19, 1003}, {21, 1005}, {23, 1007},
        {25, 1009}, {1042, 1014}, {1043, 1015}, {20, 1016}, {700, 1021}, {701, 1022},
        {26, 1028}, {142, 143}, {114, 199}, {3802, 3807}, {1114, 1115}, {1082, 1182},
        {1083, 1183}, {1184, 1185}, {1186, 1187}, {1700, 1231}, {1266, 1270}, {2950, 2951}};
    for (int[] p : pairs) {
      assertThat(Wire.R.arrayOidFor(p[0])).as("array of %d", p[0]).isEqualTo(p[1]);
      assertThat(Wire.R.hasBinaryCodec(p[1])).isTrue();
    }
    assertThat(Wire.R.arrayOidFor(600)).isZero();
  }

  @Test
  void binaryRoundTripOfEveryBuiltinArray() {
    List<PgArray> arrays = List.of(
        arr(16, true, null, false), arr(17, new byte[] {1, 2}, null),
        arr(21, (short) 1, null), arr(23, 1, 2, null, Integer.MIN_VALUE), arr(20, Long.MAX_VALUE),
        arr(700, 1.5f, Float.NaN), arr(701, -0.0, Double.NEGATIVE_INFINITY),
        arr(1700, new BigDecimal("1.500"), null, new BigDecimal("-12345678901234567890.1")),
        arr(25, "a", "", "NULL", null, "{\"\\}"), arr(1043, "x"), arr(1042, "y "),
        arr(19, "n"), arr(142, "<a/>"), arr(114, "{}"), arr(3802, "[1]"), arr(18, "c"),
        arr(26, 4294967295L), arr(2950, UUID.randomUUID()), arr(1082, LocalDate.MAX, LocalDate.of(1, 2, 3)),
        arr(1184, OffsetDateTime.of(2020, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC)),
        arr(1186, new PgInterval(1, 2, 3)), arr(25));
    for (PgArray a : arrays) {
      EncodedValue e = Wire.R.encode(a);
      assertThat(e.oid()).isEqualTo(Wire.R.arrayOidFor(a.elementOid()));
      Object back = roundTrip(a);
      assertThat(Wire.comparable(back)).as("%s", a).isEqualTo(Wire.comparable(a));
    }
  }

  @Test
  void binaryLayout() {
    // {1,NULL} as int4[]: ndim 1, flags 1, oid 23, size 2, lb 1, [4]1, [-1]
    byte[] b = hex("00000001" + "00000001" + "00000017" + "00000002" + "00000001"
        + "00000004" + "00000001" + "ffffffff");
    assertThat(Wire.R.encode(arr(23, 1, null)).bytes()).isEqualTo(b);
    assertThat(binary(1007, b)).isEqualTo(arr(23, 1, null)).isEqualTo(text(1007, "{1,NULL}"));
    assertThat(binary(1007, hex("00000000" + "00000000" + "00000017"))).isEqualTo(arr(23))
        .isEqualTo(text(1007, "{}"));
  }

  @Test
  void multiDimensional() {
    PgArray m = arr(23, arr(23, 1, 2, 3), arr(23, 4, null, 6));
    assertThat(roundTrip(m)).isEqualTo(m);
    assertThat(text(1007, "{{1,2,3},{4,NULL,6}}")).isEqualTo(m);
    assertThat(text(1007, "[0:1][1:3]={{1,2,3},{4,NULL,6}}")).isEqualTo(m);
    assertThat(text(1007, "[5:7]={1,2,3}")).isEqualTo(arr(23, 1, 2, 3));
    PgArray deep = arr(25, arr(25, arr(25, "a", "b")), arr(25, arr(25, null, "d")));
    assertThat(roundTrip(deep)).isEqualTo(deep);
    assertThat(text(1009, "{{{a,b}},{{NULL,d}}}")).isEqualTo(deep);
  }

  @Test
  void textQuotingAndEscapes() {
    assertThat(text(1009, "{\"a b\",\"\\\"\",\"\\\\\",NULL,\"NULL\",\"\",\"{}\",\"a,b\"}"))
        .isEqualTo(arr(25, "a b", "\"", "\\", null, "NULL", "", "{}", "a,b"));
    assertThat(text(1009, "{ a , b\\ ,null,Null}")).isEqualTo(arr(25, "a", "b ", null, null));
    assertThat(text(1009, "{\\N\\U\\L\\L}")).isEqualTo(arr(25, "NULL"));
    assertThat(text(1015, "{héllo,\"wörld ✓\"}")).isEqualTo(arr(1043, "héllo", "wörld ✓"));
    assertThat(text(1182, "{2024-01-01,infinity,\"0044-03-15 BC\"}"))
        .isEqualTo(arr(1082, LocalDate.of(2024, 1, 1), LocalDate.MAX, LocalDate.of(-43, 3, 15)));
    assertThat(text(1185, "{\"2024-03-10 01:59:59-05\"}"))
        .isEqualTo(arr(1184, OffsetDateTime.of(2024, 3, 10, 6, 59, 59, 0, ZoneOffset.UTC)));
    assertThat(Wire.comparable(text(1001, "{\"\\\\x0102\",NULL}")))
        .isEqualTo(Wire.comparable(arr(17, new byte[] {1, 2}, null)));
    assertThat(text(1231, "{1.500,NaN}")).isEqualTo(arr(1700, new BigDecimal("1.500"), Double.NaN));
    assertThat(text(1187, "{\"1 day 00:00:01\",00:00:00}"))
        .isEqualTo(arr(1186, new PgInterval(0, 1, 1_000_000), new PgInterval(0, 0, 0)));
  }

  @Test
  void encodeRejectsBadShapes() {
    assertThatThrownBy(() -> Wire.R.encode(arr(23, arr(23, 1, 2), arr(23, 3))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rectangular");
    assertThatThrownBy(() -> Wire.R.encode(arr(23, arr(23, 1), null)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Wire.R.encode(arr(23, arr(23, 1), 2)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Wire.R.encode(arr(23, 1, arr(23, 2))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Wire.R.encode(arr(9999, 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("9999");
    assertThatThrownBy(() -> Wire.R.encode(arr(23, "not an int")))
        .isInstanceOf(IllegalArgumentException.class);
    PgArray seven = arr(23, 1);
    for (int i = 0; i < 6; i++) {
      seven = arr(23, seven);
    }
    PgArray tooDeep = seven;
    assertThatThrownBy(() -> Wire.R.encode(tooDeep)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void elementsAreConvertedToTheElementType() {
    assertThat(roundTrip(arr(20, 1, (short) 2, 3L))).isEqualTo(arr(20, 1L, 2L, 3L));
    assertThat(roundTrip(arr(1700, 1, 2L))).isEqualTo(arr(1700, BigDecimal.ONE, BigDecimal.valueOf(2)));
    assertThatThrownBy(() -> Wire.R.encode(arr(21, 70000)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("range");
  }

  @Test
  void malformedArrays() {
    String[] badText = {"{1,2", "{{1,2},{3}}", "{1,{2}}", "{{1},2}", "1,2}", "{1,,2}", "{1}x",
        "{\"a}", "[1:2]={1}", "[1:2]{1,2}", "{{{{{{{1}}}}}}}", "{a\"b}", "", "{", "}",
        "{{1},{{2}}}"};
    for (String s : badText) {
      assertThatThrownBy(() -> text(1007, s)).as(s).isInstanceOf(IllegalArgumentException.class);
    }
    List<String> badBinary = new ArrayList<>(List.of(
        "00000001000000000000001700000002", // truncated dims
        "00000007000000000000001700000001000000010000000400000001", // 7 dims
        "ffffffff0000000000000017", // negative ndim
        "00000001000000020000001700000001000000010000000400000001", // bad flags
        "00000001000000000000001700000002000000010000000400000001", // missing element
        "0000000100000000000000177fffffff0000000100000004", // huge dim
        "00000001000000000000001700000001000000010000000300000001", // element too short
        "000000010000000000000017000000010000000100000004000000010000", // trailing bytes
        "00000001000000000000001700000001000000017ffffff0", // element length too big
        "00000001000000000000001700000001" + "00000001" + "fffffffe", // negative length
        "0000000200000000000000170000ffff000000010000ffff00000001" // 2^32 elements
    ));
    for (String h : badBinary) {
      assertThatThrownBy(() -> binary(1007, hex(h))).as(h)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
