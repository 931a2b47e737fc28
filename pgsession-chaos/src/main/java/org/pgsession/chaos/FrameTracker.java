package org.pgsession.chaos;

/**
 * Follows PostgreSQL v3 framing of one direction, so faults can fire at message boundaries.
 * Untyped packets (startup, SSLRequest) come first on the client side; after a granted SSL
 * request both directions become opaque TLS records.
 */
final class FrameTracker {
  static final int SSL_REQUEST = 80877103;
  static final int GSS_REQUEST = 80877104;
  static final int PROTOCOL_3 = 196608;

  enum Mode { UNTYPED, TYPED, SSL_ANSWER, OPAQUE }

  private volatile Mode mode;
  private FrameTracker peer;
  private final byte[] header = new byte[5];
  private int headerFill;
  private long bodyLeft = -1; // -1: reading a header
  private char type;

  FrameTracker(Mode initial) {
    this.mode = initial;
  }

  static FrameTracker[] pair() {
    FrameTracker client = new FrameTracker(Mode.UNTYPED);
    FrameTracker server = new FrameTracker(Mode.TYPED);
    client.peer = server;
    server.peer = client;
    return new FrameTracker[] {client, server};
  }

  /** @return whether no message is partly through */
  boolean atBoundary() {
    return mode == Mode.OPAQUE || (headerFill == 0 && bodyLeft < 0);
  }

  /** @return the type of the message completed last */
  char lastType() {
    return type;
  }

  /**
   * Consumes bytes up to the end of the next complete message.
   *
   * @return the offset just past that message, or -1 if none completes before {@code end}
   */
  int next(byte[] b, int off, int end) {
    int i = off;
    while (i < end) {
      switch (mode) {
        case OPAQUE -> {
          return -1;
        }
        case SSL_ANSWER -> {
          byte answer = b[i++];
          type = Fault.UNTYPED;
          mode = Mode.TYPED;
          if (answer == 'S') {
            mode = Mode.OPAQUE;
            peer.mode = Mode.OPAQUE;
          }
          return i;
        }
        default -> {
          if (bodyLeft < 0) {
            int headerSize = mode == Mode.UNTYPED ? 4 : 5;
            int take = Math.min(headerSize - headerFill, end - i);
            System.arraycopy(b, i, header, headerFill, take);
            headerFill += take;
            i += take;
            if (headerFill < headerSize) {
              return -1;
            }
            int at = headerSize - 4;
            long length = ((header[at] & 0xffL) << 24) | ((header[at + 1] & 0xff) << 16)
                | ((header[at + 2] & 0xff) << 8) | (header[at + 3] & 0xff);
            type = mode == Mode.UNTYPED ? Fault.UNTYPED : (char) (header[0] & 0xff);
            headerFill = 0;
            bodyLeft = Math.max(0, length - 4);
            if (mode == Mode.UNTYPED && bodyLeft < 4) {
              bodyLeft = Math.max(bodyLeft, 0);
            }
            untypedCode = 0;
            codeFill = 0;
          }
          int take = (int) Math.min(bodyLeft, end - i);
          if (mode == Mode.UNTYPED) {
            for (int k = 0; k < take && codeFill < 4; k++, codeFill++) {
              untypedCode = (untypedCode << 8) | (b[i + k] & 0xff);
            }
          }
          i += take;
          bodyLeft -= take;
          if (bodyLeft == 0) {
            bodyLeft = -1;
            if (mode == Mode.UNTYPED) {
              afterUntyped();
            }
            return i;
          }
        }
      }
    }
    return -1;
  }

  private int untypedCode;
  private int codeFill;

  private void afterUntyped() {
    if (untypedCode == SSL_REQUEST || untypedCode == GSS_REQUEST) {
      peer.mode = Mode.SSL_ANSWER;
    } else if (untypedCode == PROTOCOL_3 || (untypedCode >>> 16) == 3) {
      mode = Mode.TYPED;
    }
  }
}
