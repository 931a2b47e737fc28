package org.pgsession.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pgsession.types.Wire.binary;
import static org.pgsession.types.Wire.hex;
import static org.pgsession.types.Wire.roundTrip;
import static org.pgsession.types.Wire.text;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ScalarCodecTest {

  @Test
  void boolRoundTripAndText() {
    assertThat(Wire.R.encode(true).oid()).isEqualTo(16);
    assertThat(roundTrip(true)).isEqualTo(true);
    assertThat(roundTrip(false)).isEqualTo(false);
    assertThat(text(16, "t")).isEqualTo(true).isEqualTo(binary(16, new byte[] {1}));
    assertThat(text(16, "f")).isEqualTo(false).isEqualTo(binary(16, new byte[] {0}));
  }

  @Test
  void integersRoundTripAtEdges() {
    for (short s : new short[] {Short.MIN_VALUE, -1, 0, 1, Short.MAX_VALUE}) {
      assertThat(Wire.R.encode(s).oid()).isEqualTo(21);
      assertThat(roundTrip(s)).isEqualTo(s);
      assertThat(text(21, Short.toString(s))).isEqualTo(s);
    }
    for (int i : new int[] {Integer.MIN_VALUE, -1, 0, 1, Integer.MAX_VALUE}) {
      assertThat(Wire.R.encode(i).oid()).isEqualTo(23);
      assertThat(roundTrip(i)).isEqualTo(i);
      assertThat(text(23, Integer.toString(i))).isEqualTo(i);
    }
    for (long l : new long[] {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE}) {
      assertThat(Wire.R.encode(l).oid()).isEqualTo(20);
      assertThat(roundTrip(l)).isEqualTo(l);
      assertThat(text(20, Long.toString(l))).isEqualTo(l);
    }
    assertThatThrownBy(() -> text(21, "32768")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("range");
  }

  @Test
  void oidIsUnsigned() {
    assertThat(binary(26, hex("ffffffff"))).isEqualTo(4294967295L);
    assertThat(text(26, "4294967295")).isEqualTo(4294967295L);
    assertThat(binary(26, hex("00000017"))).isEqualTo(text(26, "23"));
  }

  @Test
  void floatsIncludingSpecials() {
    for (float f : new float[] {0f, -0f, 1.5f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NaN,
        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
      assertThat(Wire.R.encode(f).oid()).isEqualTo(700);
      assertThat(roundTrip(f)).isEqualTo(f);
    }
    for (double d : new double[] {0d, -0d, 3.141592653589793, Double.MIN_VALUE,
        Double.MAX_VALUE, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
      assertThat(Wire.R.encode(d).oid()).isEqualTo(701);
      assertThat(roundTrip(d)).isEqualTo(d);
    }
    assertThat(text(700, "3.14")).isEqualTo(3.14f);
    assertThat(text(700, "1e+30")).isEqualTo(1e30f);
    assertThat(text(700, "NaN")).isEqualTo(Float.NaN);
    assertThat(text(701, "Infinity")).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(text(701, "-Infinity")).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(text(701, "1.7976931348623157e+308")).isEqualTo(Double.MAX_VALUE);
    assertThat(text(701, "5e-324")).isEqualTo(Double.MIN_VALUE);
    assertThat(text(701, "-0")).isEqualTo(-0d);
  }

  @Test
  void byteaHexEscapeAndBinary() {
    byte[] all = new byte[256];
    for (int i = 0; i < 256; i++) {
      all[i] = (byte) i;
    }
    assertThat(Wire.R.encode(all).oid()).isEqualTo(17);
    assertThat((byte[]) roundTrip(all)).isEqualTo(all);
    assertThat((byte[]) roundTrip(new byte[0])).isEmpty();
    assertThat((byte[]) text(17, "\\xdeadbeef")).isEqualTo(hex("deadbeef"));
    assertThat((byte[]) text(17, "\\x")).isEmpty();
    assertThat((byte[]) text(17, "abc\\000\\\\\\377")).isEqualTo(
        new byte[] {'a', 'b', 'c', 0, '\\', (byte) 0xff});
    assertThatThrownBy(() -> text(17, "\\xabc")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> text(17, "\\xzz")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void stringTypesDecodeAlike() {
    String s = "héllo, wörld ✓ \uD83D\uDE00";
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    for (int oid : new int[] {19, 25, 1043, 1042, 142, 114}) {
      assertThat(binary(oid, utf8)).as("oid %d", oid).isEqualTo(s);
      assertThat(text(oid, s)).as("oid %d", oid).isEqualTo(s);
    }
    byte[] jsonb = new byte[utf8.length + 1];
    jsonb[0] = 1;
    System.arraycopy(utf8, 0, jsonb, 1, utf8.length);
    assertThat(binary(3802, jsonb)).isEqualTo(s);
    assertThat(text(3802, "{\"a\": 1}")).isEqualTo("{\"a\": 1}");
    assertThatThrownBy(() -> binary(3802, new byte[] {2, 'x'}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version");
  }

  @Test
  void charType() {
    assertThat(binary(18, new byte[] {'a'})).isEqualTo("a").isEqualTo(text(18, "a"));
    assertThat(binary(18, new byte[] {(byte) 0xe9})).isEqualTo("\\351").isEqualTo(text(18, "\\351"));
    assertThat(binary(18, new byte[] {0})).isEqualTo("");
  }

  @Test
  void stringEncodesAsUntypedText() {
    EncodedValue e = Wire.R.encode("x y");
    assertThat(e.oid()).isZero();
    assertThat(e.format()).isEqualTo(Format.TEXT);
    assertThat(e.bytes()).isEqualTo("x y".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void uuid() {
    UUID u = UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    assertThat(Wire.R.encode(u).oid()).isEqualTo(2950);
    assertThat(roundTrip(u)).isEqualTo(u);
    assertThat(text(2950, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")).isEqualTo(u)
        .isEqualTo(binary(2950, hex("a0eebc999c0b4ef8bb6d6bb9bd380a11")));
    UUID max = new UUID(-1, -1);
    assertThat(roundTrip(max)).isEqualTo(max);
    assertThat(text(2950, "ffffffff-ffff-ffff-ffff-ffffffffffff")).isEqualTo(max);
    assertThatThrownBy(() -> text(2950, "1-1-1-1-1")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void numericTextMatchesBinary() {
    String[] printed = {"0", "1.500", "-0.0001", "100000", "0.00000000000000000001",
        "123456789012345678901234567890.000000001", "-9999.9999", "10000", "0.000"};
    for (String p : printed) {
      BigDecimal want = new BigDecimal(p);
      Object t = text(1700, p);
      assertThat(t).as(p).isEqualTo(want);
      assertThat(roundTrip(want)).as(p).isEqualTo(want);
    }
    assertThat(text(1700, "NaN")).isEqualTo(Double.NaN);
    assertThat(text(1700, "Infinity")).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(text(1700, "-Infinity")).isEqualTo(Double.NEGATIVE_INFINITY);
    // 1.500: ndigits 2, weight 0, sign +, dscale 3, digits 1, 5000
    assertThat(binary(1700, hex("0002000000000003" + "0001" + "1388")))
        .isEqualTo(new BigDecimal("1.500"));
    assertThat(Wire.R.encode(new BigDecimal("1.500")).bytes())
        .isEqualTo(hex("0002000000000003" + "0001" + "1388"));
    // -0.0001: ndigits 1, weight -1, sign -, dscale 4, digit 1
    assertThat(binary(1700, hex("0001ffff40000004" + "0001"))).isEqualTo(new BigDecimal("-0.0001"));
    assertThat(binary(1700, hex("00000000c0000000"))).isEqualTo(Double.NaN);
    assertThat(binary(1700, hex("00000000d0000000"))).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(binary(1700, hex("00000000f0000000"))).isEqualTo(Double.NEGATIVE_INFINITY);
  }

  @Test
  void numericNegativeScaleComesBackAtScaleZero() {
    Object back = roundTrip(new BigDecimal("1E+5"));
    assertThat((BigDecimal) back).isEqualByComparingTo("100000");
    assertThat(((BigDecimal) back).scale()).isZero();
  }

  @Test
  void malformedScalarsThrowIllegalArgument() {
    assertThatThrownBy(() -> binary(23, new byte[] {0, 0, 1}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("int4");
    assertThatThrownBy(() -> binary(20, new byte[9])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> binary(16, new byte[] {2})).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> binary(1700, hex("0001000012340000" + "0001")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sign");
    assertThatThrownBy(() -> binary(1700, hex("0001000000000000" + "2710")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("digit");
    assertThatThrownBy(() -> binary(1700, hex("00050000000000000001")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> binary(1700, hex("ffff000000000000")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> text(23, "12x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> text(701, "0x1p3")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> text(1700, "1.2.3")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> text(16, "maybe")).isInstanceOf(IllegalArgumentException.class);
  }
}
