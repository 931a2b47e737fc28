package org.pgsession.chaos;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * De-frames what a PostgreSQL client sends: untyped startup packets (int32 length, body) and
 * typed messages (type byte, int32 length, body). Rejects implausible lengths instead of
 * allocating them.
 */
public final class FrontendReader {
  private final DataInputStream in;
  private final int maxFrame;

  /**
   * @param in the client's bytes
   * @param maxFrame largest accepted length field
   */
  public FrontendReader(InputStream in, int maxFrame) {
    this.in = new DataInputStream(in);
    this.maxFrame = maxFrame;
  }

  /**
   * @return the next untyped packet (SSLRequest, GSSENCRequest, StartupMessage, CancelRequest)
   * @throws IOException on EOF or a bad length
   */
  public FrontendMessage readStartup() throws IOException {
    return new FrontendMessage((char) 0, body(in.readInt()));
  }

  /**
   * @return the next typed message
   * @throws EOFException when the client closed the connection
   * @throws IOException on a bad length
   */
  public FrontendMessage readMessage() throws IOException {
    int type = in.read();
    if (type < 0) {
      throw new EOFException("client closed the connection while a message was expected");
    }
    return new FrontendMessage((char) type, body(in.readInt()));
  }

  private byte[] body(int length) throws IOException {
    if (length < 4 || length > maxFrame) {
      throw new IOException("implausible frame length from the client: " + length);
    }
    byte[] body = new byte[length - 4];
    in.readFully(body);
    return body;
  }
}
