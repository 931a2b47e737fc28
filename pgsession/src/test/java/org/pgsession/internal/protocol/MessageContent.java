package org.pgsession.internal.protocol;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Test helper: a content string for a {@link BackendMessage}, so records holding arrays compare
 * by content. A DataRow is described by its values, not by how its body is laid out.
 */
final class MessageContent {
  private MessageContent() {}

  static String of(BackendMessage m) {
    if (m instanceof BackendMessage.DataRow d) {
      StringBuilder b = new StringBuilder("DataRow[");
      for (int i = 0; i < d.size(); i++) {
        b.append(i == 0 ? "" : ", ");
        b.append(d.length(i) < 0 ? "NULL" : HexFormat.of().formatHex(d.bytes(i)));
      }
      return b.append(']').toString();
    }
    StringBuilder b = new StringBuilder(m.getClass().getSimpleName()).append('[');
    RecordComponent[] comps = m.getClass().getRecordComponents();
    for (int i = 0; i < comps.length; i++) {
      try {
        Object v = comps[i].getAccessor().invoke(m);
        b.append(i == 0 ? "" : ", ").append(comps[i].getName()).append('=').append(deep(v));
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(e);
      }
    }
    return b.append(']').toString();
  }

  static List<String> of(List<BackendMessage> ms) {
    return ms.stream().map(MessageContent::of).toList();
  }

  private static String deep(Object v) {
    if (v instanceof byte[] a) {
      return "0x" + HexFormat.of().formatHex(a);
    }
    if (v instanceof short[] a) {
      return Arrays.toString(a);
    }
    if (v instanceof int[] a) {
      return Arrays.toString(a);
    }
    return String.valueOf(v);
  }
}
