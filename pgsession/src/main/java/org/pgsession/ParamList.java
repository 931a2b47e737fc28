package org.pgsession;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** Unmodifiable parameter lists that keep null elements (List.copyOf rejects nulls). */
final class ParamList {
  private ParamList() {}

  static List<Object> copyOf(List<?> params) {
    if (params == null) {
      return List.of();
    }
    return Collections.unmodifiableList(new ArrayList<>(params));
  }

  static List<Object> of(Object... params) {
    if (params == null) {
      // of(sql, (Object[]) null) is ambiguous intent; a lone null means one NULL parameter.
      return Collections.singletonList(null);
    }
    return Collections.unmodifiableList(new ArrayList<>(Arrays.asList(params)));
  }
}
