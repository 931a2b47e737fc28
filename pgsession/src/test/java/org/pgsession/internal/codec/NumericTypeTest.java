package org.pgsession.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Byte-exact numeric layouts, as PostgreSQL's numeric_send produces them. */
class NumericTypeTest {
  private static String enc(String v) {
    return HexFormat.of().formatHex(NumericType.encode(new BigDecimal(v)));
  }

  private static Object dec(String hex) {
    return NumericType.INSTANCE.decodeBinary(ByteBuffer.wrap(HexFormat.of().parseHex(hex)));
  }

  @Test
  void layouts() {
    assertThat(enc("0")).isEqualTo("0000000000000000");
    assertThat(enc("0.00")).isEqualTo("0000000000000002");
    assertThat(enc("10000")).isEqualTo("00010001000000000001");
    assertThat(enc("0.00000001")).isEqualTo("0001fffe000000080001");
    assertThat(enc("12345.678")).isEqualTo("000300010000000300010929" + "1a7c");
    assertThat(enc("-1.5")).isEqualTo("00020000400000010001" + "1388");
    assertThat(enc("1E+8")).isEqualTo("00010002000000000001");
  }

  @Test
  void decodeDropsDigitsBeyondDscaleLikeTheServer() {
    // 1.2345 stored with dscale 2 decodes as 1.23
    assertThat(dec("00020000000000020001" + "0929")).isEqualTo(new BigDecimal("1.23"));
    // trailing zero groups omitted but dscale keeps them: 100.0000 = digit 100, dscale 4
    assertThat(dec("00010000000000040064")).isEqualTo(new BigDecimal("100.0000"));
  }

  @Test
  void rejectsOutOfRange() {
    assertThatThrownBy(() -> NumericType.encode(new BigDecimal("1E-20000")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scale");
    assertThatThrownBy(() -> dec("000000000000ffff")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dscale");
  }
}
