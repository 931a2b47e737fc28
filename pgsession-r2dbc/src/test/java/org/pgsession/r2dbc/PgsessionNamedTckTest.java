package org.pgsession.r2dbc;

/** The R2DBC TCK with binds by name ({@code bind("$1", ..)}). */
class PgsessionNamedTckTest extends TckBase<String> {
  @Override
  public String getIdentifier(int index) {
    return "$" + (index + 1);
  }
}
