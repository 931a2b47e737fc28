package org.pgsession;

/**
 * What a {@link SessionObserver} is told about an operation when it starts.
 *
 * @param kind the kind of exchange
 * @param sql the SQL text as given (with {@code $n} placeholders; bound parameter values are
 *     never included); statements of a pipeline or batch are joined with {@code ";\n"}; for a
 *     named prepared statement the SQL it was prepared with in this session, or its name when
 *     that is unknown
 * @param statements how many statements it runs: the size of a pipeline or batch, else 1
 * @param server where the session is connected
 * @param database the user and database of the session ({@code toString} masks the password)
 */
public record ObservedOperation(OperationKind kind, String sql, int statements, ServerConnectInfo server,
    DatabaseConnectInfo database) {}
