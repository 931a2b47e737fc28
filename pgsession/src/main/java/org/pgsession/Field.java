package org.pgsession;


/**
 * One named value of a row.
 *
 * @param name column name
 * @param value decoded value, or null for SQL NULL
 */
public record Field(String name, Object value) {
  /** Compares byte arrays by content. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Field f && name.equals(f.name) && Values.equal(value, f.value);
  }

  /** Hashes byte arrays by content. */
  @Override
  public int hashCode() {
    return 31 * name.hashCode() + Values.hash(value);
  }

  /** Shows byte arrays by content. */
  @Override
  public String toString() {
    return "Field[name=" + name + ", value=" + Values.show(value) + "]";
  }
}
