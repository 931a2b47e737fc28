package org.pgsession.internal.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.pgsession.types.CodecRegistry;
import org.pgsession.types.EncodedValue;

/**
 * Values written straight into the Bind must be byte for byte what the registry encodes, with
 * the same OID and format; the general path (other types, declared-type conversion) still works.
 */
class BoundParametersTest {
  private static final CodecRegistry REGISTRY = CodecRegistry.defaults();

  private static byte[] written(BoundParameters p, int i) {
    ByteBuf buf = Unpooled.buffer();
    try {
      p.write(buf, i);
      byte[] out = new byte[buf.readableBytes()];
      buf.readBytes(out);
      return out;
    } finally {
      buf.release();
    }
  }

  private static short formatOf(BoundParameters p, int i) {
    short[] f = p.formats();
    return f.length == 0 ? 0 : f.length == 1 ? f[0] : f[i];
  }

  @Test
  void directValuesMatchTheRegistryEncoding() throws Exception {
    List<Object> values = Arrays.asList(0, -1, Integer.MIN_VALUE, Long.MAX_VALUE, (short) -7, true, false,
        Double.NaN, -0.0d, Double.MIN_VALUE, Float.NaN, -0.0f, 1.5f, UUID.randomUUID(), "", "plain ascii",
        "caf\u00e9 \u20ac", "emoji \ud83d\ude00 pair", "unpaired \ud800 high", "low \udc00 alone", "\ud83d");
    BoundParameters p = BoundParameters.encode(values, REGISTRY);
    assertThat(p.count()).isEqualTo(values.size());
    long total = 0;
    for (int i = 0; i < values.size(); i++) {
      EncodedValue expected = REGISTRY.encode(values.get(i));
      assertThat(p.oids()[i]).as("oid of %s", values.get(i)).isEqualTo(expected.oid());
      assertThat(formatOf(p, i)).as("format of %s", values.get(i)).isEqualTo(expected.format().code());
      assertThat(p.length(i)).as("length of %s", values.get(i)).isEqualTo(expected.bytes().length);
      assertThat(written(p, i)).as("bytes of %s", values.get(i)).isEqualTo(expected.bytes());
      total += expected.bytes().length;
    }
    assertThat(p.dataLength()).isEqualTo(total);
  }

  @Test
  void nullsAndFormatsAreCompacted() throws Exception {
    BoundParameters allBinary = BoundParameters.encode(Arrays.asList(1, 2L, null), REGISTRY);
    assertThat(allBinary.length(2)).isEqualTo(-1);
    assertThat(allBinary.formats()).containsExactly(1); // a NULL's format does not matter
    assertThat(BoundParameters.encode(Arrays.asList(1, "a", null), REGISTRY).formats()).containsExactly(1, 0, 0);
    assertThat(BoundParameters.encode(Arrays.asList(1, 2L), REGISTRY).formats()).containsExactly(1);
    assertThat(BoundParameters.encode(Arrays.asList("a", null), REGISTRY).formats()).isEmpty();
    assertThat(BoundParameters.encode(List.of(), REGISTRY).formats()).isEmpty();
  }

  @Test
  void declaredTypesConvertDirectValues() throws Exception {
    // A named statement that declared int8 and numeric: an Integer is sent as those types.
    BoundParameters p = BoundParameters.encode(Arrays.asList(5, 7, "text"), REGISTRY, new int[] {20, 1700, 23});
    assertThat(p.oids()).containsExactly(20, 1700, 0);
    assertThat(written(p, 0)).isEqualTo(REGISTRY.encodeAs(20, 5).bytes());
    assertThat(written(p, 1)).isEqualTo(REGISTRY.encodeAs(1700, new BigDecimal(7)).bytes());
    assertThat(written(p, 2)).isEqualTo("text".getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void anUnencodableValueFailsNamingTheParameter() {
    assertThatThrownBy(() -> BoundParameters.encode(Arrays.asList(1, new Object()), REGISTRY))
        .isInstanceOf(BoundParameters.EncodeFailure.class).hasMessageContaining("$2");
  }
}
