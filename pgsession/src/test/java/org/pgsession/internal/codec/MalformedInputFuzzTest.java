package org.pgsession.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.pgsession.types.CodecRegistry;
import org.pgsession.types.CompositeField;
import org.pgsession.types.EncodedValue;
import org.pgsession.types.Format;
import org.pgsession.types.PgArray;
import org.pgsession.types.PgComposite;
import org.pgsession.types.PgInterval;

/** Garbage and truncated input must only ever raise IllegalArgumentException. */
class MalformedInputFuzzTest {
  private static final int COMPOSITE = 90001;
  private static final CodecRegistry R = CodecRegistry.defaults()
      .withCompositeType(COMPOSITE, List.of(new CompositeField("a", 23),
          new CompositeField("b", 1009), new CompositeField("c", 1700)))
      .withArrayType(90002, COMPOSITE);
  private static final int[] OIDS = {16, 17, 18, 19, 20, 21, 23, 25, 26, 114, 142, 700, 701, 1042,
      1043, 1082, 1083, 1114, 1184, 1186, 1266, 1700, 2950, 3802, 1000, 1001, 1005, 1007, 1009,
      1016, 1021, 1022, 1115, 1182, 1183, 1185, 1187, 1231, 1270, 2951, 3807, COMPOSITE, 90002};
  private final long seed = System.nanoTime();

  private static void decodeExpectingOnlyIae(int oid, Format f, byte[] b, String msg) {
    try {
      R.decode(oid, f, ByteBuffer.wrap(b));
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).as(msg).isNotBlank();
    } catch (Throwable t) {
      fail(msg + " threw " + t, t);
    }
  }

  @Test
  void randomBytesInEveryTypeAndFormat() {
    Random rnd = new Random(seed);
    String alphabet = "{}(),\"\\ 0123456789-+:.eNULTinfyBC[]=x";
    for (int i = 0; i < 20000; i++) {
      int oid = OIDS[rnd.nextInt(OIDS.length)];
      byte[] b = new byte[rnd.nextInt(40)];
      rnd.nextBytes(b);
      decodeExpectingOnlyIae(oid, Format.BINARY, b, "seed " + seed + " oid " + oid + " binary "
          + Arrays.toString(b));
      StringBuilder sb = new StringBuilder();
      for (int k = rnd.nextInt(30); k > 0; k--) {
        sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
      }
      decodeExpectingOnlyIae(oid, Format.TEXT, sb.toString().getBytes(StandardCharsets.UTF_8),
          "seed " + seed + " oid " + oid + " text " + sb);
    }
  }

  @Test
  void everyTruncationAndBitFlipOfValidValues() {
    Random rnd = new Random(seed);
    List<Object> values = List.of(1, 2L, (short) 3, true, 1.5, 2.5f, new BigDecimal("-123.4500"),
        UUID.randomUUID(), LocalDate.of(2024, 1, 2), LocalTime.NOON, OffsetTime.of(1, 2, 3, 0,
        ZoneOffset.ofHours(3)), LocalDateTime.of(1, 1, 1, 0, 0), OffsetDateTime.MAX,
        new PgInterval(1, 2, 3), new PgArray(23, Arrays.asList(new PgArray(23, Arrays.asList(1, null)),
        new PgArray(23, Arrays.asList(3, 4)))),
        new PgComposite(COMPOSITE, List.of("a", "b", "c"), List.of(23, 1009, 1700),
            Arrays.asList(1, new PgArray(25, Arrays.asList("x", null)), BigDecimal.TEN)));
    for (Object v : values) {
      EncodedValue e = R.encode(v);
      byte[] full = e.bytes();
      for (int n = 0; n < full.length; n++) {
        decodeExpectingOnlyIae(e.oid(), Format.BINARY, Arrays.copyOf(full, n),
            "truncated " + v + " to " + n);
      }
      for (int k = 0; k < 200; k++) {
        byte[] b = full.clone();
        b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
        decodeExpectingOnlyIae(e.oid(), Format.BINARY, b, "seed " + seed + " flipped " + v);
      }
    }
  }

  @Test
  void largeDeclaredSizesDoNotAllocateOrHang() {
    // 6 dimensions of 65535 elements each, but no element bytes
    ByteBuffer b = ByteBuffer.allocate(12 + 6 * 8);
    b.putInt(6).putInt(0).putInt(23);
    for (int i = 0; i < 6; i++) {
      b.putInt(65535).putInt(1);
    }
    decodeExpectingOnlyIae(1007, Format.BINARY, b.array(), "huge dims");
    // numeric claiming 32767 digits
    decodeExpectingOnlyIae(1700, Format.BINARY, new byte[] {0x7f, (byte) 0xff, 0, 0, 0, 0, 0, 0},
        "huge numeric");
  }
}
