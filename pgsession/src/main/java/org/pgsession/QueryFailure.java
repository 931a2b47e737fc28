package org.pgsession;

/** Why an operation failed: the server's error, or a client-side reason. */
public sealed interface QueryFailure permits ErrorResponseMessage, ClientQueryError {}
