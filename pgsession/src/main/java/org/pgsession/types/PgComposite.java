package org.pgsession.types;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A value of a composite (row) type.
 *
 * @param typeOid the composite type OID
 * @param fieldNames attribute names
 * @param fieldOids attribute type OIDs
 * @param fields attribute values; null is SQL NULL
 */
public record PgComposite(int typeOid, List<String> fieldNames, List<Integer> fieldOids,
    List<Object> fields) {

  /** Checks the three lists have the same size; copies them (values may be null). */
  public PgComposite {
    fieldNames = List.copyOf(fieldNames);
    fieldOids = List.copyOf(fieldOids);
    Objects.requireNonNull(fields, "fields");
    fields = Collections.unmodifiableList(new ArrayList<>(fields));
    if (fieldNames.size() != fieldOids.size() || fieldNames.size() != fields.size()) {
      throw new IllegalArgumentException("composite needs as many names, OIDs and values: "
          + fieldNames.size() + ", " + fieldOids.size() + ", " + fields.size());
    }
  }

  /**
   * @param typeOid the composite type OID
   * @param fields the attributes, in order
   * @return the composite
   */
  public static PgComposite fromFields(int typeOid, List<CompositeValue> fields) {
    List<String> names = new ArrayList<>();
    List<Integer> oids = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    for (CompositeValue f : fields) {
      names.add(f.name());
      oids.add(f.oid());
      values.add(f.value());
    }
    return new PgComposite(typeOid, names, oids, values);
  }

  /**
   * @param index 0-based attribute
   * @return its value
   */
  public Object get(int index) {
    return fields.get(index);
  }

  /**
   * @param fieldName attribute name
   * @return its value
   * @throws IllegalArgumentException if there is no such attribute
   */
  public Object get(String fieldName) {
    int i = fieldNames.indexOf(fieldName);
    if (i < 0) {
      throw new IllegalArgumentException("no field '" + fieldName + "' in " + fieldNames);
    }
    return fields.get(i);
  }
}
