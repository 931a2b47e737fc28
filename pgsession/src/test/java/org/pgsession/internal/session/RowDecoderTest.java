package org.pgsession.internal.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pgsession.Field;
import org.pgsession.Row;
import org.pgsession.internal.protocol.BackendMessage;
import org.pgsession.internal.protocol.BackendMessage.DataRow;
import org.pgsession.internal.protocol.BackendMessage.FieldDescription;
import org.pgsession.internal.protocol.BackendParser;
import org.pgsession.internal.protocol.ProtocolViolationException;
import org.pgsession.types.Codec;
import org.pgsession.types.CodecRegistry;
import org.pgsession.types.Format;

/**
 * Rows decoded from DataRow views over a pooled direct buffer, as on the event loop: values are
 * complete when decode returns (the buffer is reused after), numbers stay unboxed, NULLs and
 * failures behave as before.
 */
class RowDecoderTest {
  private static final int BIN = 1;
  private static final int TXT = 0;
  private ByteBuf in;
  private final BackendParser parser = new BackendParser(BackendParser.DEFAULT_MAX_MESSAGE_LENGTH);

  @BeforeEach
  void allocate() {
    in = PooledByteBufAllocator.DEFAULT.directBuffer();
  }

  @AfterEach
  void release() {
    in.release();
  }

  private static FieldDescription field(String name, int oid, int format) {
    return new FieldDescription(name, 0, (short) 0, oid, (short) -1, -1, (short) format);
  }

  /** Appends one DataRow frame; values null for SQL NULL. */
  private void frame(byte[]... values) {
    int start = in.writerIndex();
    in.writeByte('D').writeInt(0).writeShort(values.length);
    for (byte[] v : values) {
      in.writeInt(v == null ? -1 : v.length);
      if (v != null) {
        in.writeBytes(v);
      }
    }
    in.setInt(start + 1, in.writerIndex() - start - 1);
  }

  private static byte[] i4(int v) {
    return ByteBuffer.allocate(4).putInt(v).array();
  }

  private static byte[] i8(long v) {
    return ByteBuffer.allocate(8).putLong(v).array();
  }

  private static byte[] f8(double v) {
    return ByteBuffer.allocate(8).putDouble(v).array();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Decodes every frame in the buffer, each while it is "dispatched", then wipes the buffer. */
  private List<Row> decodeAll(RowDecoder d) throws RowDecoder.DecodeFailure {
    List<Row> rows = new ArrayList<>();
    BackendMessage m;
    while ((m = parser.decode(in)) != null) {
      rows.add(d.decode((DataRow) m));
    }
    in.setZero(0, in.writerIndex());
    return rows;
  }

  private static final List<FieldDescription> W3 = List.of(field("i", 23, BIN),
      field("l", 20, BIN), field("s", 25, BIN), field("d", 701, BIN), field("t", 1184, BIN));

  @Test
  void w3RowsStayIntactAfterTheBufferIsReused() throws Exception {
    long now = 817_000_000_123_456L;
    for (int i = 1; i <= 3; i++) {
      frame(i4(i), i8(2L * i), utf8("row-" + i + "-ü€😀"), f8(i * 1.5), i8(now));
    }
    List<Row> rows = decodeAll(new RowDecoder(W3, CodecRegistry.defaults()));
    assertThat(rows).hasSize(3);
    for (int i = 1; i <= 3; i++) {
      Row r = rows.get(i - 1);
      assertThat(r.size()).isEqualTo(5);
      assertThat(r.intValue(0)).isEqualTo(i);
      assertThat(r.getInteger("i")).isEqualTo(i);
      assertThat(r.get(0)).isEqualTo(i);
      assertThat(r.longValue(1)).isEqualTo(2L * i);
      assertThat(r.get(1)).isEqualTo(2L * i);
      assertThat(r.getString(2)).isEqualTo("row-" + i + "-ü€😀");
      assertThat(r.doubleValue(3)).isEqualTo(i * 1.5);
      assertThat(r.getDouble("d")).isEqualTo(i * 1.5);
      assertThat(r.get(4, OffsetDateTime.class)).isEqualTo(OffsetDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC)
              .plusNanos(now * 1000));
      assertThat(r.isNull(0)).isFalse();
      assertThat(r.isNull(4)).isFalse();
    }
    // The repeated timestamp is one shared immutable object.
    assertThat(rows.get(2).get(4)).isSameAs(rows.get(0).get(4));
  }

  @Test
  void compactRowsEqualTheirBoxedForm() throws Exception {
    frame(i4(7), i8(-8), utf8(""), f8(-0.5), i8(0));
    Row r = decodeAll(new RowDecoder(W3, CodecRegistry.defaults())).get(0);
    Row boxed = new Row(new String[] {"i", "l", "s", "d", "t"}, new Object[] {7, -8L, "", -0.5,
        OffsetDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC)});
    assertThat(r).isEqualTo(boxed).hasSameHashCodeAs(boxed);
    assertThat(boxed).isEqualTo(r);
    assertThat(r.fields()).containsExactly(new Field("i", 7), new Field("l", -8L),
        new Field("s", ""), new Field("d", -0.5), new Field("t", boxed.get(4)));
    assertThat(r.toString()).contains("Field[name=i, value=7]").contains("value=-0.5");
    assertThat(r.getString(0)).isEqualTo("7");
    assertThat(r.getString(2)).isEmpty();
  }

  @Test
  void nullsInNumberColumnsKeepTheRowCorrect() throws Exception {
    frame(null, i8(1), null, f8(2), null);
    frame(i4(3), null, utf8("x"), null, i8(5));
    frame(null, null, null, null, null);
    List<Row> rows = decodeAll(new RowDecoder(W3, CodecRegistry.defaults()));
    Row a = rows.get(0);
    assertThat(a.get(0)).isNull();
    assertThat(a.isNull(0)).isTrue();
    assertThat(a.getInteger(0)).isNull();
    assertThat(a.longValue(1)).isEqualTo(1);
    assertThat(a.isNull(2)).isTrue();
    assertThat(a.doubleValue(3)).isEqualTo(2.0);
    assertThatThrownBy(() -> a.intValue(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("column 0 ('i') is NULL");
    Row b = rows.get(1);
    assertThat(b.intValue(0)).isEqualTo(3);
    assertThat(b.isNull(1)).isTrue();
    assertThatThrownBy(() -> b.longValue("l")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.doubleValue(3)).isInstanceOf(IllegalArgumentException.class);
    assertThat(b.getString(2)).isEqualTo("x");
    Row c = rows.get(2);
    for (int i = 0; i < 5; i++) {
      assertThat(c.isNull(i)).isTrue();
      assertThat(c.get(i)).isNull();
    }
    assertThat(c).isEqualTo(new Row(new String[] {"i", "l", "s", "d", "t"}, new Object[5]));
  }

  @Test
  void primitiveGettersConvertLosslesslyOrThrow() throws Exception {
    List<FieldDescription> fields = List.of(field("s", 21, BIN), field("b", 16, BIN),
        field("f", 700, BIN), field("big", 20, BIN), field("o", 26, BIN), field("n", 1700, TXT),
        field("t", 25, BIN));
    frame(ByteBuffer.allocate(2).putShort((short) -3).array(), new byte[] {1},
        ByteBuffer.allocate(4).putFloat(0.25f).array(), i8(1L << 40), i4(-1), utf8("12.50"),
        utf8("7"));
    Row r = decodeAll(new RowDecoder(fields, CodecRegistry.defaults())).get(0);
    assertThat(r.get(0)).isEqualTo((short) -3);
    assertThat(r.intValue(0)).isEqualTo(-3);
    assertThat(r.longValue(0)).isEqualTo(-3L);
    assertThat(r.doubleValue(0)).isEqualTo(-3.0);
    assertThat(r.booleanValue(1)).isTrue();
    assertThat(r.booleanValue("b")).isTrue();
    assertThat(r.getBoolean(1)).isTrue();
    assertThat(r.get(2)).isEqualTo(0.25f);
    assertThat(r.doubleValue(2)).isEqualTo(0.25);
    assertThat(r.longValue(3)).isEqualTo(1L << 40);
    assertThatThrownBy(() -> r.intValue(3)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot be read as java.lang.Integer");
    assertThat(r.get(4)).isEqualTo(0xFFFFFFFFL);
    assertThat(r.longValue(4)).isEqualTo(0xFFFFFFFFL);
    assertThat(r.doubleValue(5)).isEqualTo(12.5);
    assertThatThrownBy(() -> r.intValue(5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> r.intValue(6)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> r.booleanValue(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void textFormatNumbersAreKeptUnboxedToo() throws Exception {
    List<FieldDescription> fields = List.of(field("a", 23, TXT), field("b", 20, TXT),
        field("c", 701, TXT), field("d", 16, TXT), field("e", 21, TXT), field("f", 25, TXT));
    frame(utf8("-2147483648"), utf8("9223372036854775807"), utf8("-1.5e3"), utf8("t"),
        utf8("+12"), utf8("zürich"));
    Row r = decodeAll(new RowDecoder(fields, CodecRegistry.defaults())).get(0);
    assertThat(r.intValue(0)).isEqualTo(Integer.MIN_VALUE);
    assertThat(r.longValue(1)).isEqualTo(Long.MAX_VALUE);
    assertThat(r.doubleValue(2)).isEqualTo(-1500.0);
    assertThat(r.booleanValue(3)).isTrue();
    assertThat(r.get(4)).isEqualTo((short) 12);
    assertThat(r.getString(5)).isEqualTo("zürich");
  }

  @Test
  void aValueItsCodecRejectsIsADecodeFailureNamingTheColumn() {
    frame(i4(1), i8(2), utf8("s"), new byte[3], i8(0));
    RowDecoder d = new RowDecoder(W3, CodecRegistry.defaults());
    assertThatThrownBy(() -> decodeAll(d)).isInstanceOf(RowDecoder.DecodeFailure.class)
        .hasMessageContaining("column 3 ('d', type OID 701, binary format)")
        .hasMessageContaining("expected 8 bytes, got 3");
    in.clear();
    frame(utf8("12x"));
    RowDecoder text = new RowDecoder(List.of(field("n", 23, TXT)), CodecRegistry.defaults());
    assertThatThrownBy(() -> decodeAll(text)).isInstanceOf(RowDecoder.DecodeFailure.class)
        .hasMessageContaining("column 0 ('n', type OID 23, text format)");
  }

  @Test
  void aValueCountOtherThanTheDescriptionsIsAProtocolViolation() {
    frame(i4(1), i8(2));
    RowDecoder d = new RowDecoder(W3, CodecRegistry.defaults());
    assertThatThrownBy(() -> decodeAll(d)).isExactlyInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("DataRow has 2 values but the RowDescription has 5 columns");
  }

  @Test
  void rowsWithoutColumnsAndWithOnlyObjects() throws Exception {
    frame();
    assertThat(decodeAll(new RowDecoder(List.of(), CodecRegistry.defaults())).get(0).size())
        .isZero();
    in.clear();
    frame(utf8("a"), null);
    Row r = decodeAll(new RowDecoder(List.of(field("x", 25, BIN), field("y", 1043, TXT)),
        CodecRegistry.defaults())).get(0);
    assertThat(r.get(0)).isEqualTo("a");
    assertThat(r.isNull(1)).isTrue();
  }

  @Test
  void customCodecsKeepTheirByteBufferAfterTheRow() throws Exception {
    int oid = 91000;
    Codec keeps = new Codec() {
      @Override public Format format() {
        return Format.BINARY;
      }

      @Override public Class<?> javaType() {
        return ByteBuffer.class;
      }

      @Override public byte[] encode(Object value) {
        throw new UnsupportedOperationException();
      }

      @Override public Object decode(ByteBuffer data) {
        return data; // read later, after the row was dispatched
      }
    };
    frame(new byte[] {4, 5, 6}, i4(9));
    Row r = decodeAll(new RowDecoder(List.of(field("c", oid, BIN), field("i", 23, BIN)),
        CodecRegistry.defaults().withCodec(oid, keeps))).get(0);
    ByteBuffer kept = (ByteBuffer) r.get(0);
    assertThat(kept.remaining()).isEqualTo(3);
    assertThat(new byte[] {kept.get(0), kept.get(1), kept.get(2)}).containsExactly(4, 5, 6);
    assertThat(r.intValue(1)).isEqualTo(9);
  }
}
