package org.pgsession;

/**
 * A server ErrorResponse. Absent optional fields are null; severity, code and message never are.
 *
 * @param severity severity (non-localized where the server sends it: ERROR, FATAL, PANIC)
 * @param localizedSeverity localized severity
 * @param code SQLSTATE code
 * @param message primary message
 * @param detail detail
 * @param hint hint
 * @param position cursor position in the query string (1-based), as text
 * @param internalPosition position in an internal query
 * @param internalQuery the internal query
 * @param where context/call stack
 * @param schemaName schema name
 * @param tableName table name
 * @param columnName column name
 * @param dataTypeName data type name
 * @param constraintName constraint name
 * @param file server source file
 * @param line server source line
 * @param routine server source routine
 */
public record ErrorResponseMessage(String severity, String localizedSeverity, String code,
    String message, String detail, String hint, String position, String internalPosition,
    String internalQuery, String where, String schemaName, String tableName,
    String columnName, String dataTypeName, String constraintName, String file,
    String line, String routine) implements QueryFailure {}
