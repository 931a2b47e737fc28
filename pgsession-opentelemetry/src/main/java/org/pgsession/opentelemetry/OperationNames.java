package org.pgsession.opentelemetry;

import java.util.Locale;
import org.pgsession.ObservedOperation;
import org.pgsession.OperationKind;

/** {@code db.operation.name} of an operation: the first keyword of its SQL. */
final class OperationNames {
  /** How the driver joins the statements of a pipeline or batch in {@link ObservedOperation#sql()}. */
  private static final String STATEMENT_SEPARATOR = ";\n";

  private OperationNames() {}

  /** @param op the operation @return its operation name, or null when the SQL has no keyword */
  static String of(ObservedOperation op) {
    if (op.kind() == OperationKind.PIPELINE || op.kind() == OperationKind.BATCH) {
      String common = null;
      for (String statement : op.sql().split(STATEMENT_SEPARATOR, -1)) {
        String name = firstKeyword(statement);
        if (common == null) {
          common = name;
        } else if (!common.equals(name)) {
          return "BATCH";
        }
      }
      return common == null ? "BATCH" : "BATCH " + common;
    }
    return firstKeyword(op.sql());
  }

  /** @param sql SQL text @return its first word of letters, upper case, skipping comments; or null */
  static String firstKeyword(String sql) {
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c) || c == '(') {
        i++;
      } else if (sql.startsWith("--", i)) {
        int eol = sql.indexOf('\n', i);
        i = eol < 0 ? n : eol + 1;
      } else if (sql.startsWith("/*", i)) {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else {
        break;
      }
    }
    int start = i;
    while (i < n && Character.isLetter(sql.charAt(i))) {
      i++;
    }
    return i == start ? null : sql.substring(start, i).toUpperCase(Locale.ROOT);
  }
}
