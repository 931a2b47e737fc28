package org.pgsession;

/**
 * {@link Session#open} (or a pool creating a session) could not make a ready session. The
 * {@link #reason()} says why, in the terms of {@link SessionStatusNotify#pgSessionConnectionFailed};
 * when several servers were tried it is the last server's reason and the message names every
 * server's.
 *
 * <p>{@link #failure()} is the server's ErrorResponse when the reason carries one (wrong
 * password, unknown database, too many connections, ...), so {@link #sqlState()} is e.g.
 * {@code 28P01}; otherwise it is {@link ClientQueryError.SessionNeverOpened} (or the
 * {@link ProtocolViolation}).
 */
public class PgConnectException extends PgException {
  private static final long serialVersionUID = 1L;

  private final transient ConnectionFailureReason reason;

  /**
   * @param reason why the session never became ready
   */
  public PgConnectException(ConnectionFailureReason reason) {
    this(describe(reason), reason);
  }

  /**
   * @param message the message (e.g. naming every server tried)
   * @param reason why the (last) session never became ready
   */
  public PgConnectException(String message, ConnectionFailureReason reason) {
    super(message, failureOf(reason), null);
    this.reason = reason;
  }

  /** @return why the session never became ready */
  public ConnectionFailureReason reason() {
    return reason;
  }

  private static QueryFailure failureOf(ConnectionFailureReason reason) {
    ErrorResponseMessage response = serverResponse(reason);
    if (response != null) {
      return response;
    }
    if (reason instanceof ProtocolViolation pv) {
      return pv;
    }
    return new ClientQueryError.SessionNeverOpened();
  }

  private static ErrorResponseMessage serverResponse(ConnectionFailureReason reason) {
    if (reason instanceof ConnectionFailureReason.InvalidPassword r) {
      return r.response();
    } else if (reason instanceof ConnectionFailureReason.InvalidAuthorizationSpecification r) {
      return r.response();
    } else if (reason instanceof ConnectionFailureReason.TooManyConnections r) {
      return r.response();
    } else if (reason instanceof ConnectionFailureReason.InvalidDatabaseName r) {
      return r.response();
    } else if (reason instanceof ConnectionFailureReason.ServerRejected r) {
      return r.response();
    }
    return null;
  }

  /**
   * @param reason a connection failure
   * @return a one-line description of it
   */
  public static String describe(ConnectionFailureReason reason) {
    ErrorResponseMessage response = serverResponse(reason);
    String what = reason.getClass().getSimpleName();
    if (response != null) {
      return "connection failed (" + what + "): " + describeServerError(response);
    }
    if (reason instanceof ProtocolViolation pv) {
      return "connection failed: protocol violation: " + pv.message();
    }
    if (reason instanceof ConnectionFailureReason.ServerRoleMismatch m) {
      return "connection refused by target_session_attrs=" + m.wanted().libpqName() + ": the server is " + m.server();
    }
    return "connection failed: " + switch (what) {
      case "ConnectionFailedDNS" -> "the host name could not be resolved";
      case "ConnectionFailedTCP" -> "no TCP connection could be made";
      case "ConnectionFailedTimeout" -> "the connection timeout expired";
      case "ConnectionFailedTimerError" -> "the connection timer could not be set";
      case "ConnectionClosedByServer" -> "the server closed the connection before the session was ready";
      case "SSLServerRefused" -> "TLS is required and the server refused it";
      case "TLSHandshakeFailed" -> "the TLS handshake failed";
      case "TLSAuthFailed" -> "the server certificate or host name was rejected";
      case "UnsupportedAuthenticationMethod" -> "the server asked for an unsupported authentication method";
      case "AuthenticationMethodRejected" -> "the server asked for an authentication method the AuthRequirement forbids";
      case "ChannelBindingRequired" -> "channel binding is required (channel_binding=require) but the server did not"
          + " use SCRAM-SHA-256-PLUS over TLS";
      case "DirectTlsUnsupported" -> "direct TLS (sslnegotiation=direct) failed: the server does not support it"
          + " (PostgreSQL 17+ needed)";
      case "ServerVerificationFailed" -> "SCRAM: the server could not prove it knows the password";
      default -> what;
    };
  }
}
