package org.pgsession.internal.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pgsession.Row;
import org.pgsession.Rows;

class RowListTest {
  private static Row row(int i) {
    return new Row(new String[] {"n"}, new Object[] {i});
  }

  @Test
  void holdsRowsAcrossChunksInOrder() {
    for (int hint : new int[] {0, 1, 1000, 5000}) {
      RowList list = new RowList(hint);
      List<Row> expected = new ArrayList<>();
      for (int i = 0; i < 3 * 1024 + 5; i++) {
        Row r = row(i);
        list.add(r);
        expected.add(r);
        if (i == 0 || i == 1023 || i == 1024 || i == 2047) {
          assertThat(list.get(i)).isSameAs(r);
        }
      }
      assertThat(list).hasSize(expected.size()).containsExactlyElementsOf(expected);
      assertThat(list.get(1024).get(0)).isEqualTo(1024);
      assertThatThrownBy(() -> list.get(list.size())).isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> list.get(-1)).isInstanceOf(IndexOutOfBoundsException.class);
      Rows rows = new Rows(List.of(), list);
      assertThat(rows.size()).isEqualTo(expected.size());
      assertThat(rows.stream().mapToInt(r -> r.intValue(0)).sum())
          .isEqualTo(expected.stream().mapToInt(r -> r.intValue(0)).sum());
      assertThat(rows).isEqualTo(new Rows(List.of(), expected));
    }
  }

  @Test
  void emptyList() {
    RowList list = new RowList(0);
    assertThat(list).isEmpty();
    assertThatThrownBy(() -> list.get(0)).isInstanceOf(IndexOutOfBoundsException.class);
  }
}
