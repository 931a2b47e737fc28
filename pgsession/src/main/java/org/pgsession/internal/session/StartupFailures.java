package org.pgsession.internal.session;

import org.pgsession.ConnectionFailureReason;
import org.pgsession.ErrorResponseMessage;

/** Maps an ErrorResponse received before the session is ready to its connection-failure reason. */
final class StartupFailures {
  private StartupFailures() {}

  /** @param error the server error @return the matching reason */
  static ConnectionFailureReason reasonFor(ErrorResponseMessage error) {
    return switch (error.code()) {
      case "28P01" -> new ConnectionFailureReason.InvalidPassword(error);
      case "28000" -> new ConnectionFailureReason.InvalidAuthorizationSpecification(error);
      case "53300" -> new ConnectionFailureReason.TooManyConnections(error);
      case "3D000" -> new ConnectionFailureReason.InvalidDatabaseName(error);
      default -> new ConnectionFailureReason.ServerRejected(error);
    };
  }
}
