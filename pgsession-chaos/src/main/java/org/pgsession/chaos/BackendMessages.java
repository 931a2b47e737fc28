package org.pgsession.chaos;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Builders for every PostgreSQL v3 backend message, as framed bytes (type byte, int32 length,
 * body), ready to write to a client. Values are sent as given: nothing is validated, so tests
 * can also build malformed messages with {@link #message}.
 */
public final class BackendMessages {
  private BackendMessages() {}

  /** One column of a RowDescription. @param name column name @param typeOid type OID @param format 0 text, 1 binary */
  public record Column(String name, int typeOid, int format) {
    /** @param name column name @return a text column of type text (OID 25) */
    public static Column text(String name) {
      return new Column(name, 25, 0);
    }
  }

  /** @param chunks byte arrays @return them concatenated */
  public static byte[] concat(byte[]... chunks) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] c : chunks) {
      out.writeBytes(c);
    }
    return out.toByteArray();
  }

  /** @param type type byte @param body body @return the framed message */
  public static byte[] message(char type, byte[] body) {
    return ByteBuffer.allocate(5 + body.length).put((byte) type).putInt(4 + body.length).put(body).array();
  }

  /** @param s text @return UTF-8 bytes plus NUL */
  public static byte[] cString(String s) {
    return concat(s.getBytes(StandardCharsets.UTF_8), new byte[] {0});
  }

  /** @param accept whether TLS is granted @return the one-byte answer to an SSLRequest ('S' or 'N') */
  public static byte[] sslAnswer(boolean accept) {
    return new byte[] {(byte) (accept ? 'S' : 'N')};
  }

  // ---- authentication ------------------------------------------------------------------------

  /** @param code authentication code @param extra bytes after it @return an 'R' message */
  public static byte[] authentication(int code, byte[] extra) {
    return message('R', ByteBuffer.allocate(4 + extra.length).putInt(code).put(extra).array());
  }

  /** @return AuthenticationOk */
  public static byte[] authenticationOk() {
    return authentication(0, new byte[0]);
  }

  /** @return AuthenticationKerberosV5 (code 2, unsupported by modern servers) */
  public static byte[] authenticationKerberosV5() {
    return authentication(2, new byte[0]);
  }

  /** @return AuthenticationCleartextPassword */
  public static byte[] authenticationCleartext() {
    return authentication(3, new byte[0]);
  }

  /** @param salt 4 bytes @return AuthenticationMD5Password */
  public static byte[] authenticationMd5(byte[] salt) {
    return authentication(5, salt);
  }

  /** @return AuthenticationGSS */
  public static byte[] authenticationGss() {
    return authentication(7, new byte[0]);
  }

  /** @param data GSS or SSPI data @return AuthenticationGSSContinue */
  public static byte[] authenticationGssContinue(byte[] data) {
    return authentication(8, data);
  }

  /** @return AuthenticationSSPI */
  public static byte[] authenticationSspi() {
    return authentication(9, new byte[0]);
  }

  /** @param mechanisms offered SASL mechanisms @return AuthenticationSASL */
  public static byte[] authenticationSasl(String... mechanisms) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (String m : mechanisms) {
      b.writeBytes(cString(m));
    }
    b.write(0);
    return authentication(10, b.toByteArray());
  }

  /** @param data server-first message @return AuthenticationSASLContinue */
  public static byte[] saslContinue(String data) {
    return authentication(11, data.getBytes(StandardCharsets.UTF_8));
  }

  /** @param data server-final message @return AuthenticationSASLFinal */
  public static byte[] saslFinal(String data) {
    return authentication(12, data.getBytes(StandardCharsets.UTF_8));
  }

  // ---- session start and status --------------------------------------------------------------

  /** @param pid process id @param secret 4-byte key @return BackendKeyData */
  public static byte[] backendKeyData(int pid, int secret) {
    return message('K', ByteBuffer.allocate(8).putInt(pid).putInt(secret).array());
  }

  /** @param name parameter @param value its value @return ParameterStatus */
  public static byte[] parameterStatus(String name, String value) {
    return message('S', concat(cString(name), cString(value)));
  }

  /** @param status 'I', 'T' or 'E' @return ReadyForQuery */
  public static byte[] readyForQuery(char status) {
    return message('Z', new byte[] {(byte) status});
  }

  /**
   * @param newestMinor newest minor protocol version the server supports
   * @param unsupportedOptions protocol options the server did not recognise
   * @return NegotiateProtocolVersion
   */
  public static byte[] negotiateProtocolVersion(int newestMinor, String... unsupportedOptions) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(ByteBuffer.allocate(8).putInt(newestMinor).putInt(unsupportedOptions.length).array());
    for (String o : unsupportedOptions) {
      b.writeBytes(cString(o));
    }
    return message('v', b.toByteArray());
  }

  /** @return what a trust login sends: AuthenticationOk, two statuses, key data, ReadyForQuery */
  public static byte[] loginOk() {
    return concat(authenticationOk(), parameterStatus("server_version", "18.0"),
        parameterStatus("client_encoding", "UTF8"), backendKeyData(4242, 0x5eed), readyForQuery('I'));
  }

  // ---- errors and asynchronous messages -------------------------------------------------------

  /**
   * @param severity S and V fields, e.g. "ERROR" or "FATAL"
   * @param code SQLSTATE (C)
   * @param text message (M)
   * @return ErrorResponse
   */
  public static byte[] errorResponse(String severity, String code, String text) {
    return message('E', fields(Map.of('S', severity, 'V', severity, 'C', code, 'M', text)));
  }

  /** @param text message @return a NoticeResponse with severity NOTICE, SQLSTATE 00000 */
  public static byte[] notice(String text) {
    return message('N', fields(Map.of('S', "NOTICE", 'V', "NOTICE", 'C', "00000", 'M', text)));
  }

  /** @param pid sender @param channel channel @param payload payload @return NotificationResponse */
  public static byte[] notification(int pid, String channel, String payload) {
    return message('A', concat(ByteBuffer.allocate(4).putInt(pid).array(), cString(channel), cString(payload)));
  }

  /** @param fields field code to value @return an ErrorResponse/NoticeResponse body */
  public static byte[] fields(Map<Character, String> fields) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    fields.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      b.write(e.getKey());
      b.writeBytes(cString(e.getValue()));
    });
    b.write(0);
    return b.toByteArray();
  }

  // ---- query results -------------------------------------------------------------------------

  /** @return ParseComplete */
  public static byte[] parseComplete() {
    return message('1', new byte[0]);
  }

  /** @return BindComplete */
  public static byte[] bindComplete() {
    return message('2', new byte[0]);
  }

  /** @return CloseComplete */
  public static byte[] closeComplete() {
    return message('3', new byte[0]);
  }

  /** @return NoData */
  public static byte[] noData() {
    return message('n', new byte[0]);
  }

  /** @return PortalSuspended */
  public static byte[] portalSuspended() {
    return message('s', new byte[0]);
  }

  /** @return EmptyQueryResponse */
  public static byte[] emptyQueryResponse() {
    return message('I', new byte[0]);
  }

  /** @param tag command tag, e.g. "SELECT 1" @return CommandComplete */
  public static byte[] commandComplete(String tag) {
    return message('C', cString(tag));
  }

  /** @param typeOids parameter type OIDs @return ParameterDescription */
  public static byte[] parameterDescription(int... typeOids) {
    ByteBuffer b = ByteBuffer.allocate(2 + 4 * typeOids.length).putShort((short) typeOids.length);
    for (int oid : typeOids) {
      b.putInt(oid);
    }
    return message('t', b.array());
  }

  /** @param columns the columns @return RowDescription */
  public static byte[] rowDescription(Column... columns) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(ByteBuffer.allocate(2).putShort((short) columns.length).array());
    for (Column c : columns) {
      b.writeBytes(cString(c.name()));
      b.writeBytes(ByteBuffer.allocate(18).putInt(0).putShort((short) 0).putInt(c.typeOid())
          .putShort((short) -1).putInt(-1).putShort((short) c.format()).array());
    }
    return message('T', b.toByteArray());
  }

  /** @param values text values, null = SQL NULL @return DataRow */
  public static byte[] dataRow(String... values) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(ByteBuffer.allocate(2).putShort((short) values.length).array());
    for (String v : values) {
      if (v == null) {
        b.writeBytes(ByteBuffer.allocate(4).putInt(-1).array());
      } else {
        byte[] bytes = v.getBytes(StandardCharsets.UTF_8);
        b.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
        b.writeBytes(bytes);
      }
    }
    return message('D', b.toByteArray());
  }

  // ---- COPY ----------------------------------------------------------------------------------

  /** @param columns column count (text format) @return CopyInResponse */
  public static byte[] copyInResponse(int columns) {
    return message('G', copyFormats(columns));
  }

  /** @param columns column count (text format) @return CopyOutResponse */
  public static byte[] copyOutResponse(int columns) {
    return message('H', copyFormats(columns));
  }

  /** @param columns column count (text format) @return CopyBothResponse */
  public static byte[] copyBothResponse(int columns) {
    return message('W', copyFormats(columns));
  }

  /** @param data the bytes @return CopyData */
  public static byte[] copyData(byte[] data) {
    return message('d', data);
  }

  /** @return CopyDone */
  public static byte[] copyDone() {
    return message('c', new byte[0]);
  }

  private static byte[] copyFormats(int columns) {
    ByteBuffer b = ByteBuffer.allocate(3 + 2 * columns).put((byte) 0).putShort((short) columns);
    for (int i = 0; i < columns; i++) {
      b.putShort((short) 0);
    }
    return b.array();
  }
}
