package org.pgsession.chaos;

/** One direction of a proxied connection. */
public enum Direction {
  /** Bytes the client (driver) sends to the server. */
  CLIENT_TO_SERVER,
  /** Bytes the server sends to the client. */
  SERVER_TO_CLIENT
}
