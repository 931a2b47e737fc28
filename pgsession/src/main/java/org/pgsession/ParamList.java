package org.pgsession;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * Unmodifiable parameter lists that keep null elements (List.copyOf rejects nulls). One array
 * copy per query and none when a list made here is passed on again: a query's parameters are
 * copied on every execution of a hot loop, so two ArrayList copies per query showed up in the
 * batch benchmark's profile.
 */
final class ParamList extends AbstractList<Object> implements RandomAccess {
  private static final ParamList EMPTY = new ParamList(new Object[0]);

  private final Object[] values;

  private ParamList(Object[] values) {
    this.values = values;
  }

  static List<Object> copyOf(List<?> params) {
    if (params == null || params.isEmpty()) {
      return EMPTY;
    }
    if (params instanceof ParamList own) {
      return own; // immutable already
    }
    return new ParamList(params.toArray());
  }

  static List<Object> of(Object... params) {
    if (params == null) {
      // of(sql, (Object[]) null) is ambiguous intent; a lone null means one NULL parameter.
      return new ParamList(new Object[] {null});
    }
    return params.length == 0 ? EMPTY : new ParamList(params.clone());
  }

  @Override
  public Object get(int index) {
    return values[index];
  }

  @Override
  public int size() {
    return values.length;
  }

  @Override
  public Object[] toArray() {
    return values.clone();
  }
}
