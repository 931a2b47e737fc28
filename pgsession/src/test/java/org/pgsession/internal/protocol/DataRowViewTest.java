package org.pgsession.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pgsession.internal.protocol.Wire.body;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.pgsession.internal.protocol.BackendMessage.DataRow;

/**
 * The DataRow view: validated in place over the inbound buffer, one instance per parser, bounds
 * checked accessors, copies that outlive the buffer, and every malformed layout rejected by both
 * the framing path and {@link BackendParser#parse}.
 */
class DataRowViewTest {

  @Test
  void oneViewPerParserEachRowReadableWhileDispatched() {
    ByteBuf in = PooledByteBufAllocator.DEFAULT.directBuffer();
    try {
      in.writeBytes(body().i16(2).i32(1).raw(new byte[] {'a'}).i32(-1).frame('D'));
      in.writeBytes(body().i16(2).i32(0).i32(2).raw(new byte[] {'b', 'c'}).frame('D'));
      in.writeBytes(body().cstr("SELECT 2").frame('C'));
      BackendParser parser = new BackendParser(BackendParser.DEFAULT_MAX_MESSAGE_LENGTH);
      DataRow first = (DataRow) parser.decode(in);
      assertThat(first.size()).isEqualTo(2);
      assertThat(first.bytes(0)).containsExactly('a');
      assertThat(first.length(1)).isEqualTo(-1);
      assertThat(first.bytes(1)).isNull();
      assertThat(first.buffer()).isSameAs(in);
      assertThat(in.getByte(first.offset(0))).isEqualTo((byte) 'a');
      DataRow kept = first.copy();
      DataRow second = (DataRow) parser.decode(in);
      assertThat(second).as("the parser reuses its view").isSameAs(first);
      assertThat(second.length(0)).isZero();
      assertThat(second.bytes(0)).isEmpty();
      assertThat(second.bytes(1)).containsExactly('b', 'c');
      assertThat(parser.decode(in)).isEqualTo(new BackendMessage.CommandComplete("SELECT 2"));
      assertThat(kept.bytes(0)).containsExactly('a');
      assertThat(kept.bytes(1)).isNull();
      assertThat(kept).isNotSameAs(first);
      assertThat(kept.toString()).isEqualTo("DataRow[2 values]");
    } finally {
      in.release();
    }
  }

  @Test
  void accessorsAreBoundsChecked() {
    DataRow row = DataRow.of(new byte[] {1}, null);
    assertThat(row.size()).isEqualTo(2);
    assertThatThrownBy(() -> row.length(2)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> row.offset(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> row.bytes(5)).isInstanceOf(IndexOutOfBoundsException.class);
    // A longer row earlier must not leak values into a shorter one through the reused arrays.
    ByteBuf in = Unpooled.buffer();
    in.writeBytes(body().i16(3).i32(0).i32(0).i32(0).frame('D'));
    in.writeBytes(body().i16(1).i32(0).frame('D'));
    BackendParser parser = new BackendParser(BackendParser.DEFAULT_MAX_MESSAGE_LENGTH);
    parser.decode(in);
    DataRow shorter = (DataRow) parser.decode(in);
    assertThat(shorter.size()).isEqualTo(1);
    assertThatThrownBy(() -> shorter.length(1)).isInstanceOf(IndexOutOfBoundsException.class);
    in.release();
  }

  private static void rejectedBothWays(byte[] frame, String message) {
    assertThat(ParserTestSupport.violation(frame)).hasMessageContaining("DataRow")
        .hasMessageContaining(message);
    ByteBuf body = Unpooled.wrappedBuffer(frame, 5, frame.length - 5);
    try {
      assertThatThrownBy(() -> BackendParser.parse((byte) 'D', body))
          .isExactlyInstanceOf(ProtocolViolationException.class)
          .hasMessageContaining("DataRow").hasMessageContaining(message);
    } finally {
      body.release();
    }
  }

  @Test
  void malformedLayoutsAreViolationsOnBothPaths() {
    rejectedBothWays(body().frame('D'), "body too short for column count");
    rejectedBothWays(body().i8(0).frame('D'), "body too short for column count");
    rejectedBothWays(body().i16(-3).frame('D'), "negative column count -3");
    rejectedBothWays(body().i16(1).i32(-2).frame('D'), "value 0 has invalid length -2");
    rejectedBothWays(body().i16(1).i32(Integer.MIN_VALUE).frame('D'), "invalid length");
    rejectedBothWays(body().i16(1).i32(2).raw(new byte[] {1}).frame('D'),
        "value 0 length 2 exceeds the 1 bytes left");
    rejectedBothWays(body().i16(1).i32(Integer.MAX_VALUE).frame('D'), "exceeds");
    // Count says 3, the body holds 2 values and then 4 bytes that are not a whole value.
    rejectedBothWays(body().i16(3).i32(0).i32(0).i32(1).frame('D'),
        "value 2 length 1 exceeds the 0 bytes left");
    rejectedBothWays(body().i16(3).i32(0).i32(0).i32(0).raw(new byte[] {1, 2}).frame('D'),
        "2 trailing bytes");
    rejectedBothWays(body().i16(2).i32(1).raw(new byte[] {1}).i32(0).raw(new byte[] {9})
        .frame('D'), "1 trailing bytes");
    rejectedBothWays(body().i16(3).i32(-1).i32(-1).frame('D'), "column count 3 needs at least 12");
  }

  @Test
  void staticParseGivesAnIndependentRow() {
    byte[] frame = body().i16(1).i32(2).raw(new byte[] {7, 8}).frame('D');
    ByteBuf body = Unpooled.wrappedBuffer(frame, 5, frame.length - 5);
    try {
      DataRow a = (DataRow) BackendParser.parse((byte) 'D', body);
      assertThat(body.readableBytes()).as("consumed").isZero();
      assertThat(a.bytes(0)).containsExactly(7, 8);
    } finally {
      body.release();
    }
  }
}
