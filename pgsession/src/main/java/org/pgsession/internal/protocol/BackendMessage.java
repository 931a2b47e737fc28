package org.pgsession.internal.protocol;

import java.util.List;
import org.pgsession.ErrorResponseMessage;
import org.pgsession.NoticeResponseMessage;
import org.pgsession.TransactionStatus;

/**
 * Every message a PostgreSQL v3 backend can send, as validated immutable values.
 * Produced by {@link BackendParser}; a message that does not fit its grammar never becomes
 * one of these (the parser throws {@link ProtocolViolationException} instead).
 */
public sealed interface BackendMessage {

  /** Authentication succeeded ('R', code 0). */
  record AuthenticationOk() implements BackendMessage {}
  /** Server asks for a cleartext password (code 3). */
  record AuthenticationCleartextPassword() implements BackendMessage {}
  /** Server asks for an MD5 password hash with this 4-byte salt (code 5). */
  record AuthenticationMD5Password(byte[] salt) implements BackendMessage {}
  /** Server offers SASL with these mechanisms (code 10). */
  record AuthenticationSASL(List<String> mechanisms) implements BackendMessage {}
  /** SASL challenge data (code 11). */
  record AuthenticationSASLContinue(byte[] data) implements BackendMessage {}
  /** SASL outcome data, to verify (code 12). */
  record AuthenticationSASLFinal(byte[] data) implements BackendMessage {}
  /** Kerberos V5 (code 2); unsupported by this driver. */
  record AuthenticationKerberosV5() implements BackendMessage {}
  /** SCM credentials (code 6); unsupported by this driver. */
  record AuthenticationSCMCredential() implements BackendMessage {}
  /** GSSAPI (code 7); unsupported by this driver. */
  record AuthenticationGSS() implements BackendMessage {}
  /** GSSAPI continuation (code 8); unsupported by this driver. */
  record AuthenticationGSSContinue(byte[] data) implements BackendMessage {}
  /** SSPI (code 9); unsupported by this driver. */
  record AuthenticationSSPI() implements BackendMessage {}
  /** An authentication code this driver does not know. */
  record AuthenticationUnknown(int code) implements BackendMessage {}

  /** Cancellation key: process id and a secret of 4..256 bytes. */
  record BackendKeyData(int processId, byte[] secretKey) implements BackendMessage {}
  /** Bind finished. */
  record BindComplete() implements BackendMessage {}
  /** Close finished. */
  record CloseComplete() implements BackendMessage {}
  /** A statement finished; {@code tag} is the command tag, e.g. {@code "INSERT 0 3"}. */
  record CommandComplete(String tag) implements BackendMessage {}
  /** A chunk of COPY data. */
  record CopyData(byte[] data) implements BackendMessage {}
  /** End of COPY OUT data. */
  record CopyDone() implements BackendMessage {}
  /** The server is ready for COPY IN data. {@code overallFormat} 0 text, 1 binary. */
  record CopyInResponse(int overallFormat, short[] columnFormats) implements BackendMessage {}
  /** The server starts sending COPY OUT data. */
  record CopyOutResponse(int overallFormat, short[] columnFormats) implements BackendMessage {}
  /** Start of COPY BOTH (replication); unsupported beyond parsing. */
  record CopyBothResponse(int overallFormat, short[] columnFormats) implements BackendMessage {}
  /**
   * One row. The values live in {@code body}; value {@code i} starts at {@code offsets[i]} and
   * has {@code lengths[i]} bytes, or is SQL NULL when {@code lengths[i] == -1}.
   * One array copy per row, no per-field allocation.
   */
  record DataRow(byte[] body, int[] offsets, int[] lengths) implements BackendMessage {
    /** Number of values in the row. */
    public int size() {
      return lengths.length;
    }
  }
  /** The query string was empty. */
  record EmptyQueryResponse() implements BackendMessage {}
  /** An error; severity, code and message are always present. */
  record ErrorResponse(ErrorResponseMessage error) implements BackendMessage {}
  /** The server supports only an older minor version and not these options. */
  record NegotiateProtocolVersion(int newestMinorVersion, List<String> unrecognizedOptions)
      implements BackendMessage {}
  /** The statement or portal returns no rows. */
  record NoData() implements BackendMessage {}
  /** A notice; severity, code and message are always present. */
  record NoticeResponse(NoticeResponseMessage notice) implements BackendMessage {}
  /** A LISTEN/NOTIFY notification. */
  record NotificationResponse(int processId, String channel, String payload)
      implements BackendMessage {}
  /** Parameter type OIDs of a described statement. */
  record ParameterDescription(int[] typeOids) implements BackendMessage {}
  /** A run-time parameter's current value. */
  record ParameterStatus(String name, String value) implements BackendMessage {}
  /** Parse finished. */
  record ParseComplete() implements BackendMessage {}
  /** Execute stopped at its row limit; the portal can be resumed. */
  record PortalSuspended() implements BackendMessage {}
  /** The backend is ready for a new query cycle, in this transaction state. */
  record ReadyForQuery(TransactionStatus status) implements BackendMessage {}
  /** Column descriptions of the rows to come. */
  record RowDescription(List<FieldDescription> fields) implements BackendMessage {}

  /** One column of a {@link RowDescription}. {@code format} 0 text, 1 binary. */
  record FieldDescription(String name, int tableOid, short columnNumber, int typeOid,
      short typeSize, int typeModifier, short format) {}
}
