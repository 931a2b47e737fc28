package org.pgsession.r2dbc;

import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.pgsession.ResultSet;
import org.pgsession.RowModifying;

/** The segments of R2DBC results, and how a driver result splits into them. */
final class Segments {
  private Segments() {}

  /** Command tags whose row count means rows touched (also with RETURNING). */
  private static final Set<String> COUNTING = Set.of("INSERT", "UPDATE", "DELETE", "MERGE", "COPY", "SELECT",
      "FETCH", "MOVE");

  record RowSegment(Row row) implements Result.RowSegment {}

  record UpdateCount(long value) implements Result.UpdateCount {}

  record Message(R2dbcException exception) implements Result.Message {
    @Override
    public int errorCode() {
      return exception.getErrorCode();
    }

    @Override
    public String sqlState() {
      return exception.getSqlState();
    }

    @Override
    public String message() {
      return exception.getMessage();
    }
  }

  /** @return the rows and, for a command that counts them, the update count of one statement's result */
  static List<Result.Segment> of(org.pgsession.Result result) {
    List<Result.Segment> out = new ArrayList<>();
    if (result instanceof ResultSet rs) {
      Metadata metadata = new Metadata(rs.rows().columns());
      for (org.pgsession.Row row : rs.rows()) {
        out.add(new RowSegment(new PgsessionRow(row, rs.rows().columns(), metadata)));
      }
      if (!rs.command().equals("SELECT") && counts(rs.command())) {
        out.add(new UpdateCount(rs.rows().size()));
      }
    } else if (result instanceof RowModifying rm) {
      if (rm.impacted() > 0 || counts(rm.command())) {
        out.add(new UpdateCount(rm.impacted()));
      }
    }
    return out;
  }

  private static boolean counts(String command) {
    int space = command.indexOf(' ');
    return COUNTING.contains(space < 0 ? command : command.substring(0, space));
  }
}
