package org.pgsession.r2dbc;

import io.r2dbc.spi.Type;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.pgsession.types.PgInterval;

/**
 * A PostgreSQL column type as R2DBC {@link Type}: its name ({@code int4}, {@code text}, ...) and
 * the Java type {@code Row.get(i)} returns for it. Arrays of built-in types map to Java arrays
 * of the element's type; unknown types to {@code Object}.
 *
 * @param oid the type OID
 * @param name the PostgreSQL type name, or the OID as text for a type the driver does not know
 * @param javaType the Java type of its values
 */
public record PgsessionType(int oid, String name, Class<?> javaType) implements Type {
  private static final Map<Integer, PgsessionType> BUILT_IN = new HashMap<>();
  private static final Map<Integer, Integer> ARRAY_ELEMENT = new HashMap<>();

  static {
    scalar(16, "bool", Boolean.class, 1000);
    scalar(17, "bytea", ByteBuffer.class, 1001);
    scalar(18, "char", String.class, 1002);
    scalar(19, "name", String.class, 1003);
    scalar(20, "int8", Long.class, 1016);
    scalar(21, "int2", Short.class, 1005);
    scalar(23, "int4", Integer.class, 1007);
    scalar(25, "text", String.class, 1009);
    scalar(26, "oid", Long.class, 1028);
    scalar(114, "json", String.class, 199);
    scalar(142, "xml", String.class, 143);
    scalar(700, "float4", Float.class, 1021);
    scalar(701, "float8", Double.class, 1022);
    scalar(1042, "bpchar", String.class, 1014);
    scalar(1043, "varchar", String.class, 1015);
    scalar(1082, "date", LocalDate.class, 1182);
    scalar(1083, "time", LocalTime.class, 1183);
    scalar(1114, "timestamp", LocalDateTime.class, 1115);
    scalar(1184, "timestamptz", OffsetDateTime.class, 1185);
    scalar(1186, "interval", PgInterval.class, 1187);
    scalar(1266, "timetz", OffsetTime.class, 1270);
    scalar(1700, "numeric", BigDecimal.class, 1231);
    scalar(2950, "uuid", UUID.class, 2951);
    scalar(3802, "jsonb", String.class, 3807);
  }

  private static void scalar(int oid, String name, Class<?> javaType, int arrayOid) {
    BUILT_IN.put(oid, new PgsessionType(oid, name, javaType));
    Class<?> arrayClass = java.lang.reflect.Array.newInstance(javaType, 0).getClass();
    BUILT_IN.put(arrayOid, new PgsessionType(arrayOid, "_" + name, arrayClass));
    ARRAY_ELEMENT.put(oid, arrayOid);
  }

  /**
   * @param oid a type OID
   * @return its type; for an unknown OID one named by the number, with Java type {@code Object}
   */
  public static PgsessionType of(int oid) {
    PgsessionType t = BUILT_IN.get(oid);
    return t != null ? t : new PgsessionType(oid, Integer.toString(oid), Object.class);
  }

  /**
   * @param elementOid a scalar type OID
   * @return the OID of its array type, or 0 when the driver knows none
   */
  static int arrayOf(int elementOid) {
    return ARRAY_ELEMENT.getOrDefault(elementOid, 0);
  }

  /** @return the Java type of this type's values */
  @Override
  public Class<?> getJavaType() {
    return javaType;
  }

  /** @return the PostgreSQL type name */
  @Override
  public String getName() {
    return name;
  }
}
