package org.pgsession.r2dbc;

/** The R2DBC TCK with index binds ({@code bind(0, ..)} for {@code $1}). */
class PgsessionTckTest extends TckBase<Integer> {
  @Override
  public Integer getIdentifier(int index) {
    return index;
  }
}
