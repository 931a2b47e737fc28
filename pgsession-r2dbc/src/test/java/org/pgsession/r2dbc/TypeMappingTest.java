package org.pgsession.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.r2dbc.spi.Blob;
import io.r2dbc.spi.Clob;
import io.r2dbc.spi.Parameters;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.RowMetadata;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The R2DBC type mapping, through both protocols: a statement without binds runs as a simple
 * query (text results), one with a bind as an extended query (binary results).
 */
class TypeMappingTest {
  private static final String COLUMNS = "1::int2 AS a, 2::int4 AS b, 3::int8 AS c, 1.5::float4 AS d, 2.5::float8 AS e,"
      + " 1.23::numeric AS f, true AS g, 'x'::text AS h, 'y'::varchar AS i, '\\x0102'::bytea AS j,"
      + " '2024-02-29'::date AS k, '12:34:56'::time AS l, '2024-02-29 12:34:56'::timestamp AS m,"
      + " '2024-02-29 12:34:56+02'::timestamptz AS n, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid AS o,"
      + " ARRAY[1, NULL, 3]::int4[] AS p, ARRAY['u', 'v']::text[] AS q, NULL::int4 AS r";

  private static PgsessionConnection c;

  @BeforeAll
  static void open() {
    c = Connections.open();
  }

  @AfterAll
  static void close() {
    Connections.close(c);
  }

  private static <T> T one(io.r2dbc.spi.Statement statement, java.util.function.BiFunction<Row, RowMetadata, T> f) {
    return Flux.from(statement.execute()).concatMap(r -> r.map(f)).single().block(Connections.WAIT);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void defaultMapping(boolean extended) {
    io.r2dbc.spi.Statement s = extended
        ? c.createStatement("SELECT " + COLUMNS + " WHERE $1").bind(0, true)
        : c.createStatement("SELECT " + COLUMNS);
    List<Object> values = one(s, (row, md) -> {
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < md.getColumnMetadatas().size(); i++) {
        Object v = row.get(i);
        if (v != null) {
          assertThat(v).as("column %s", md.getColumnMetadata(i).getName())
              .isInstanceOf(md.getColumnMetadata(i).getJavaType());
        }
        out.add(v);
      }
      assertThat(md.getColumnMetadata("b").getType().getName()).isEqualTo("int4");
      assertThat(md.getColumnMetadata("n").getNativeTypeMetadata()).isEqualTo(1184);
      return out;
    });
    assertThat(values.subList(0, 9)).containsExactly((short) 1, 2, 3L, 1.5f, 2.5d, new BigDecimal("1.23"), true,
        "x", "y");
    assertThat(values.get(9)).isEqualTo(ByteBuffer.wrap(new byte[] {1, 2}));
    assertThat(values.subList(10, 15)).containsExactly(LocalDate.of(2024, 2, 29), LocalTime.of(12, 34, 56),
        LocalDateTime.of(2024, 2, 29, 12, 34, 56), OffsetDateTime.of(2024, 2, 29, 10, 34, 56, 0, ZoneOffset.UTC),
        UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
    assertThat((Integer[]) values.get(15)).containsExactly(1, null, 3);
    assertThat((String[]) values.get(16)).containsExactly("u", "v");
    assertThat(values.get(17)).isNull();
  }

  @Test
  void conversionsThatLoseNothing() {
    one(c.createStatement("SELECT 2::int4 AS i, 2::int8 AS l, 1.5::numeric AS n, '2024-02-29 12:00+00'::timestamptz AS t,"
        + " '90 minutes'::interval AS d, '\\x01'::bytea AS b, 'text'::text AS s"), (row, md) -> {
          assertThat(row.get("i", Long.class)).isEqualTo(2L);
          assertThat(row.get("l", Integer.class)).isEqualTo(2);
          assertThat(row.get("n", Double.class)).isEqualTo(1.5);
          assertThat(row.get("i", String.class)).isEqualTo("2");
          assertThat(row.get("t", Instant.class)).isEqualTo(Instant.parse("2024-02-29T12:00:00Z"));
          assertThat(row.get("d", Duration.class)).isEqualTo(Duration.ofMinutes(90));
          assertThat(row.get("b", byte[].class)).containsExactly(1);
          assertThat(row.get("b", Blob.class)).isNotNull();
          assertThat(Flux.from(row.get("s", Clob.class).stream()).map(CharSequence::toString).blockFirst())
              .isEqualTo("text");
          assertThatThrownBy(() -> row.get("n", Integer.class)).isInstanceOf(IllegalArgumentException.class)
              .hasMessageContaining("numeric");
          assertThatThrownBy(() -> row.get("s", UUID.class)).isInstanceOf(IllegalArgumentException.class);
          return true;
        });
  }

  @Test
  void bindRoundTrips() {
    UUID id = UUID.randomUUID();
    Instant at = Instant.parse("2024-01-02T03:04:05.123456Z");
    List<Object> back = one(c.createStatement("SELECT $1::int8, $2::uuid, $3::timestamptz, $4::bytea, $5::int4[],"
            + " $6::text, $7::numeric, $8::int4")
        .bind(0, 42L).bind(1, id).bind(2, at).bind(3, ByteBuffer.wrap(new byte[] {9, 8}))
        .bind(4, new Integer[] {4, 5}).bind(5, Parameters.in("p")).bind(6, new BigDecimal("-0.5"))
        .bindNull(7, Integer.class), (row, md) -> {
          List<Object> out = new ArrayList<>();
          for (int i = 0; i < 8; i++) {
            out.add(row.get(i));
          }
          return out;
        });
    assertThat(back.get(0)).isEqualTo(42L);
    assertThat(back.get(1)).isEqualTo(id);
    assertThat(((OffsetDateTime) back.get(2)).toInstant()).isEqualTo(at);
    assertThat(back.get(3)).isEqualTo(ByteBuffer.wrap(new byte[] {9, 8}));
    assertThat((Integer[]) back.get(4)).containsExactly(4, 5);
    assertThat(back.subList(5, 7)).containsExactly("p", new BigDecimal("-0.5"));
    assertThat(back.get(7)).isNull();
  }

  @Test
  void blobAndClobBindsAreReadBeforeTheStatementRuns() {
    Blob blob = Blob.from(Flux.just(ByteBuffer.wrap(new byte[] {1, 2}), ByteBuffer.wrap(new byte[] {3})));
    Clob clob = Clob.from(Flux.just("ab", "cd"));
    List<Object> back = one(c.createStatement("SELECT $1::bytea, $2::text").bind(0, blob).bind(1, clob),
        (row, md) -> List.of(row.get(0), row.get(1)));
    assertThat(back).containsExactly(ByteBuffer.wrap(new byte[] {1, 2, 3}), "abcd");
  }

  @Test
  void unsupportedBindTypeFailsAtBind() {
    assertThatThrownBy(() -> c.createStatement("SELECT $1").bind(0, new Object()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.Object");
    assertThat(Mono.from(c.validate(io.r2dbc.spi.ValidationDepth.REMOTE)).block(Connections.WAIT)).isTrue();
  }
}
