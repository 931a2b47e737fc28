package org.pgsession.types;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A PostgreSQL array. Multi-dimensional arrays nest: each element of the outer array is a
 * {@code PgArray} of the next dimension (with the same element OID).
 *
 * @param elementOid OID of the element type
 * @param elements the elements; null elements are SQL NULL
 */
public record PgArray(int elementOid, List<Object> elements) {
  /** Copies elements into an unmodifiable list that keeps nulls. */
  public PgArray {
    Objects.requireNonNull(elements, "elements");
    elements = Collections.unmodifiableList(new ArrayList<>(elements));
  }
}
