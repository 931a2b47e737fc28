package org.pgsession.internal.codec;

/** The built-in types by OID, and their array types. */
public final class Builtins {
  private Builtins() {}

  /** Table size: every built-in OID is below it. */
  static final int SIZE = 4000;
  private static final PgType[] TYPES = new PgType[SIZE];
  private static final int[] ARRAY_OF = new int[SIZE];
  private static final int[] ELEMENT_OF = new int[SIZE];

  static {
    add(16, 1000, SimpleTypes.BOOL);
    add(17, 1001, ByteaType.INSTANCE);
    add(18, 1002, SimpleTypes.CHAR);
    add(19, 1003, SimpleTypes.string("name"));
    add(20, 1016, SimpleTypes.INT8);
    add(21, 1005, SimpleTypes.INT2);
    add(23, 1007, SimpleTypes.INT4);
    add(25, 1009, SimpleTypes.string("text"));
    add(26, 1028, SimpleTypes.OID);
    add(114, 199, SimpleTypes.string("json"));
    add(142, 143, SimpleTypes.string("xml"));
    add(700, 1021, SimpleTypes.FLOAT4);
    add(701, 1022, SimpleTypes.FLOAT8);
    add(1042, 1014, SimpleTypes.string("bpchar"));
    add(1043, 1015, SimpleTypes.string("varchar"));
    add(1082, 1182, TemporalTypes.DATE);
    add(1083, 1183, TemporalTypes.TIME);
    add(1114, 1115, TemporalTypes.TIMESTAMP);
    add(1184, 1185, TemporalTypes.TIMESTAMPTZ);
    add(1186, 1187, IntervalType.INSTANCE);
    add(1266, 1270, TemporalTypes.TIMETZ);
    add(1700, 1231, NumericType.INSTANCE);
    add(2950, 2951, SimpleTypes.UUID_TYPE);
    add(3802, 3807, SimpleTypes.JSONB);
  }

  private static void add(int oid, int arrayOid, PgType t) {
    TYPES[oid] = t;
    ARRAY_OF[oid] = arrayOid;
    ELEMENT_OF[arrayOid] = oid;
  }

  /**
   * @param oid a type OID
   * @return the built-in scalar type, or null
   */
  public static PgType type(int oid) {
    return oid > 0 && oid < SIZE ? TYPES[oid] : null;
  }

  /**
   * @param elementOid a type OID
   * @return its built-in array type OID, or 0
   */
  public static int arrayOf(int elementOid) {
    return elementOid > 0 && elementOid < SIZE ? ARRAY_OF[elementOid] : 0;
  }

  /**
   * @param arrayOid a type OID
   * @return the element OID if it is a built-in array type, else 0
   */
  public static int elementOf(int arrayOid) {
    return arrayOid > 0 && arrayOid < SIZE ? ELEMENT_OF[arrayOid] : 0;
  }

  /**
   * @param oid a type OID
   * @return whether it is a built-in scalar or array type
   */
  public static boolean isBuiltin(int oid) {
    return type(oid) != null || elementOf(oid) != 0;
  }
}
