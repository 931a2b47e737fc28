package org.pgsession.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.pgsession.types.CodecRegistry;
import org.pgsession.types.CompositeField;
import org.pgsession.types.EncodedValue;
import org.pgsession.types.Format;

/**
 * Fuzzes the value decoders through {@link CodecRegistry#decode} (jqwik): text parsers of arrays,
 * composites, numeric, temporal and interval values, and every binary decoder. Invariant: a
 * value or an {@link IllegalArgumentException} with a message (the typed error the row decoder
 * turns into DataError); never another exception, never an allocation out of proportion to the
 * input.
 */
class CodecFuzzTest {
  private static final int COMPOSITE = 90001;
  private static final CodecRegistry R = CodecRegistry.defaults()
      .withCompositeType(COMPOSITE, List.of(new CompositeField("a", 23),
          new CompositeField("b", 1009), new CompositeField("c", 1700)))
      .withArrayType(90002, COMPOSITE);
  /** Scalars, their arrays, the composite and its array. */
  private static final List<Integer> OIDS = List.of(16, 17, 18, 19, 20, 21, 23, 25, 26, 114, 142, 700, 701, 1042,
      1043, 1082, 1083, 1114, 1184, 1186, 1266, 1700, 2950, 3802, 1000, 1001, 1005, 1007, 1009,
      1016, 1021, 1022, 1115, 1182, 1183, 1185, 1187, 1231, 1270, 2951, 3807, COMPOSITE, 90002);
  /** Text parsers with structure: arrays, composites, numeric, temporal, interval. */
  private static final List<Integer> TEXT_PARSED = List.of(1700, 1082, 1083, 1114, 1184, 1186, 1266,
      1007, 1009, 1231, 1115, 1182, 1187, COMPOSITE, 90002, 1000, 1016);
  private static final long FIXED_ALLOWANCE = 256 * 1024;

  static {
    for (int round = 0; round < 3; round++) { // class loading is not the decoders' allocation
      for (int oid : OIDS) {
        for (byte[] b : new byte[][] {{}, {0, 0, 0, 1}, "{1,2}".getBytes(StandardCharsets.UTF_8), "(1,2,3)".getBytes(StandardCharsets.UTF_8),
            "2020-01-01 10:00:00+02".getBytes(StandardCharsets.UTF_8), "1 day 02:00:00".getBytes(StandardCharsets.UTF_8)}) {
          for (Format f : Format.values()) {
            try {
              R.decode(oid, f, ByteBuffer.wrap(b));
            } catch (IllegalArgumentException ignored) {
              // the rejection path is warmed up too
            }
          }
        }
      }
    }
  }

  @Provide
  Arbitrary<Integer> oids() {
    return Arbitraries.of(OIDS);
  }

  @Provide
  Arbitrary<Integer> textParsed() {
    return Arbitraries.of(TEXT_PARSED);
  }

  /** Text built from the characters the structured parsers react to. */
  @Provide
  Arbitrary<String> structuredText() {
    return Arbitraries.strings().withChars("{}(),\"\\ 0123456789-+:.eENULTinfyBCP[]=xHMSDY:TZ")
        .ofMaxLength(60);
  }

  @Property
  void binaryDecodersOnlyDecodeOrReject(@ForAll("oids") int oid, @ForAll @Size(max = 64) byte[] data) {
    decode(oid, Format.BINARY, data);
  }

  @Property
  void textParsersOnlyDecodeOrReject(@ForAll("textParsed") int oid, @ForAll("structuredText") String text) {
    decode(oid, Format.TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  @Provide
  Arbitrary<byte[]> mutatedBinaryArrays() {
    // a valid binary int4[] / text[] with mutated header fields (ndim, flags, element oid, dims, lengths)
    Arbitrary<byte[]> valid = Arbitraries.of(
        R.encodeAs(1007, new org.pgsession.types.PgArray(23, java.util.Arrays.asList(1, 2, 3))),
        R.encodeAs(1009, new org.pgsession.types.PgArray(25, java.util.Arrays.asList("a", null, "c"))))
        .map(CodecFuzzTest::bytes);
    return net.jqwik.api.Combinators.combine(valid, Arbitraries.integers().between(1, 6), Arbitraries.longs())
        .as(BackendParserFuzzTest::mutate);
  }

  @Property
  void mutatedBinaryArraysOnlyDecodeOrReject(@ForAll("mutatedBinaryArrays") byte[] data) {
    decode(1007, Format.BINARY, data);
    decode(1009, Format.BINARY, data);
  }

  private static byte[] bytes(EncodedValue v) {
    return v.bytes();
  }

  static void decode(int oid, Format format, byte[] data) {
    Runnable decoding = () -> {
      try {
        R.decode(oid, format, ByteBuffer.wrap(data));
      } catch (IllegalArgumentException e) {
        assertThat(e.getMessage()).as("oid %d %s", oid, format).isNotBlank();
      }
    };
    long bound = FIXED_ALLOWANCE + 256L * data.length;
    long before = Allocation.now();
    decoding.run();
    if (Allocation.now() - before > bound) { // once more: one-time JVM work is not the decoder's
      before = Allocation.now();
      decoding.run();
      assertThat(Allocation.now() - before).as("bytes allocated decoding %s as oid %d %s",
          java.util.HexFormat.of().formatHex(data), oid, format).isLessThanOrEqualTo(bound);
    }
  }
}
