package org.pgsession.chaos;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One packet a client sent, as read by {@link FrontendReader}.
 *
 * @param type the message type byte, or {@code 0} for an untyped startup packet (SSLRequest,
 *     StartupMessage, CancelRequest), whose body then starts with the protocol code
 * @param body the bytes after the length field
 */
public record FrontendMessage(char type, byte[] body) {
  /** Protocol code of an SSLRequest. */
  public static final int SSL_REQUEST_CODE = 80877103;
  /** Protocol code of a GSSENCRequest. */
  public static final int GSSENC_REQUEST_CODE = 80877104;
  /** Protocol code of a CancelRequest. */
  public static final int CANCEL_REQUEST_CODE = 80877102;
  /** Protocol code of a v3.0 StartupMessage. */
  public static final int PROTOCOL_3_0 = 196608;
  /** Protocol code of a v3.2 StartupMessage (what pgsession asks for first). */
  public static final int PROTOCOL_3_2 = 196610;

  /** @return for a startup packet: its protocol code */
  public int protocolCode() {
    return ByteBuffer.wrap(body).getInt(0);
  }

  /** @return whether this is an SSLRequest */
  public boolean isSslRequest() {
    return type == 0 && protocolCode() == SSL_REQUEST_CODE;
  }

  /** @return whether this is a StartupMessage (protocol 3.x) */
  public boolean isStartupMessage() {
    return type == 0 && (protocolCode() >>> 16) == 3;
  }

  /** @return whether this is a CancelRequest */
  public boolean isCancelRequest() {
    return type == 0 && protocolCode() == CANCEL_REQUEST_CODE;
  }

  /** @return a StartupMessage's parameters, in order */
  public Map<String, String> startupParameters() {
    Map<String, String> params = new LinkedHashMap<>();
    List<String> strings = cStrings(4);
    for (int i = 0; i + 1 < strings.size(); i += 2) {
      params.put(strings.get(i), strings.get(i + 1));
    }
    return params;
  }

  /**
   * @param from offset in the body
   * @return the NUL-terminated strings from there up to the first empty one or the end
   */
  public List<String> cStrings(int from) {
    List<String> out = new ArrayList<>();
    int start = from;
    for (int i = from; i < body.length; i++) {
      if (body[i] == 0) {
        if (i == start) {
          break;
        }
        out.add(new String(body, start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    return out;
  }

  /** @return a PasswordMessage's password (the body without its terminating NUL) */
  public String password() {
    return new String(body, 0, Math.max(0, body.length - 1), StandardCharsets.UTF_8);
  }

  /** @return a SASLInitialResponse's mechanism name */
  public String saslMechanism() {
    return cStrings(0).get(0);
  }

  /** @return a SASLInitialResponse's data, as text */
  public String saslInitialData() {
    int nul = 0;
    while (body[nul] != 0) {
      nul++;
    }
    int length = ByteBuffer.wrap(body, nul + 1, 4).getInt();
    return length < 0 ? "" : new String(body, nul + 5, length, StandardCharsets.UTF_8);
  }

  /** @return the whole body as UTF-8 text (SASLResponse data, Query text with its NUL) */
  public String text() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** @return a Query's SQL (the body without its NUL) */
  public String queryText() {
    return password();
  }

  @Override
  public String toString() {
    return (type == 0 ? "startup" : "'" + type + "'") + "[" + body.length + " bytes]";
  }
}
