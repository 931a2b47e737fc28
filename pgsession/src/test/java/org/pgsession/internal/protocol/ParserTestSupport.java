package org.pgsession.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Test helper: runs the parser on whole frames and releases every buffer. */
final class ParserTestSupport {
  private ParserTestSupport() {}

  /** Decodes exactly one message from {@code frame}, asserting the frame is fully consumed. */
  static BackendMessage decodeOne(byte[] frame) {
    ByteBuf in = Unpooled.wrappedBuffer(frame);
    try {
      BackendMessage m = new BackendParser(BackendParser.DEFAULT_MAX_MESSAGE_LENGTH).decode(in);
      assertThat(m).as("decoded message").isNotNull();
      assertThat(in.readableBytes()).as("bytes left after the frame").isZero();
      // A DataRow is a view over the input, which is released below: keep a copy.
      return m instanceof BackendMessage.DataRow row ? row.copy() : m;
    } finally {
      in.release();
    }
  }

  /** Asserts decoding {@code bytes} fails with a violation (and nothing else). */
  static ProtocolViolationException violation(byte[] bytes) {
    return violation(new BackendParser(BackendParser.DEFAULT_MAX_MESSAGE_LENGTH), bytes);
  }

  static ProtocolViolationException violation(BackendParser parser, byte[] bytes) {
    ByteBuf in = Unpooled.wrappedBuffer(bytes);
    try {
      Throwable t = catchThrowable(() -> parser.decode(in));
      assertThat(t).isExactlyInstanceOf(ProtocolViolationException.class);
      return (ProtocolViolationException) t;
    } finally {
      in.release();
    }
  }
}
