package org.pgsession.internal.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.UUID;
import org.pgsession.types.Codec;
import org.pgsession.types.CodecRegistry;
import org.pgsession.types.CompositeField;
import org.pgsession.types.EncodedValue;
import org.pgsession.types.Format;
import org.pgsession.types.PgArray;
import org.pgsession.types.PgComposite;
import org.pgsession.types.PgInterval;
import org.pgsession.types.RawBytes;

/**
 * The state and logic behind {@code CodecRegistry}: built-ins plus user-registered custom codecs,
 * enums, composites and arrays. Immutable; the {@code with*} methods return new tables.
 */
public final class TypeTable {
  /** Nesting limit for type lookups, guarding against cyclic registrations. */
  private static final int MAX_NESTING = 32;
  private static final TypeTable DEFAULTS = new TypeTable(Map.of(), Set.of(), Map.of(), Map.of(),
      Map.of());

  private final Map<Integer, Codec> custom;
  private final Set<Integer> enums;
  private final Map<Integer, List<CompositeField>> composites;
  private final Map<Integer, Integer> arrayElement;
  private final Map<Integer, Integer> elementArray;

  private TypeTable(Map<Integer, Codec> custom, Set<Integer> enums,
      Map<Integer, List<CompositeField>> composites, Map<Integer, Integer> arrayElement,
      Map<Integer, Integer> elementArray) {
    this.custom = custom;
    this.enums = enums;
    this.composites = composites;
    this.arrayElement = arrayElement;
    this.elementArray = elementArray;
  }

  /** Reads a registry's table; installed by CodecRegistry, whose state is private. */
  private static Function<CodecRegistry, TypeTable> registryAccess;

  /**
   * Called once by {@link CodecRegistry}'s class initializer (which runs before any registry
   * exists), so the driver's internals can reach the table behind a public registry.
   *
   * @param access returns a registry's table
   */
  public static synchronized void installRegistryAccess(Function<CodecRegistry, TypeTable> access) {
    if (registryAccess != null) {
      throw new IllegalStateException("registry access already installed");
    }
    registryAccess = access;
  }

  /**
   * @param registry a registry
   * @return the table behind it
   */
  public static TypeTable of(CodecRegistry registry) {
    Function<CodecRegistry, TypeTable> a;
    synchronized (TypeTable.class) {
      a = registryAccess;
    }
    return a.apply(registry);
  }

  /** @return the table of built-in types only */
  public static TypeTable defaults() {
    return DEFAULTS;
  }

  private boolean known(int oid) {
    return Builtins.isBuiltin(oid) || custom.containsKey(oid) || enums.contains(oid)
        || composites.containsKey(oid) || arrayElement.containsKey(oid);
  }

  private void checkNew(int oid) {
    if (oid == 0) {
      throw new IllegalArgumentException("0 is not a valid type OID");
    }
    if (Builtins.isBuiltin(oid)) {
      throw new IllegalArgumentException("OID " + oid + " is a built-in type");
    }
    if (known(oid)) {
      throw new IllegalArgumentException("OID " + oid + " is already registered");
    }
  }

  /**
   * @param oid type OID
   * @param codec its codec
   * @return a new table
   */
  public TypeTable withCodec(int oid, Codec codec) {
    Objects.requireNonNull(codec, "codec");
    checkNew(oid);
    if (codec.format() == null || codec.javaType() == null) {
      throw new IllegalArgumentException("codec must have a format and a Java type");
    }
    Map<Integer, Codec> m = new LinkedHashMap<>(custom);
    m.put(oid, codec);
    return new TypeTable(Collections.unmodifiableMap(m), enums, composites, arrayElement,
        elementArray);
  }

  /**
   * @param oid enum type OID
   * @return a new table
   */
  public TypeTable withEnumType(int oid) {
    checkNew(oid);
    Set<Integer> s = new HashSet<>(enums);
    s.add(oid);
    return new TypeTable(custom, Collections.unmodifiableSet(s), composites, arrayElement,
        elementArray);
  }

  /**
   * @param oid composite type OID
   * @param fields its attributes in order
   * @return a new table
   */
  public TypeTable withCompositeType(int oid, List<CompositeField> fields) {
    List<CompositeField> copy = List.copyOf(fields);
    checkNew(oid);
    for (CompositeField f : copy) {
      if (f.oid() == oid) {
        throw new IllegalArgumentException("composite type " + oid + " cannot contain itself");
      }
    }
    Map<Integer, List<CompositeField>> m = new HashMap<>(composites);
    m.put(oid, copy);
    return new TypeTable(custom, enums, Collections.unmodifiableMap(m), arrayElement,
        elementArray);
  }

  /**
   * @param arrayOid array type OID
   * @param elementOid element type OID
   * @return a new table
   */
  public TypeTable withArrayType(int arrayOid, int elementOid) {
    checkNew(arrayOid);
    if (elementOid == 0 || elementOid == arrayOid) {
      throw new IllegalArgumentException("invalid element OID " + elementOid + " for array type "
          + arrayOid);
    }
    if (arrayOidFor(elementOid) != 0) {
      throw new IllegalArgumentException("type " + elementOid + " already has array type "
          + arrayOidFor(elementOid));
    }
    Map<Integer, Integer> ae = new HashMap<>(arrayElement);
    ae.put(arrayOid, elementOid);
    Map<Integer, Integer> ea = new HashMap<>(elementArray);
    ea.put(elementOid, arrayOid);
    return new TypeTable(custom, enums, composites, Collections.unmodifiableMap(ae),
        Collections.unmodifiableMap(ea));
  }

  /**
   * @param elementOid element type
   * @return its array type, 0 if unknown
   */
  public int arrayOidFor(int elementOid) {
    int a = Builtins.arrayOf(elementOid);
    if (a != 0) {
      return a;
    }
    Integer r = elementArray.get(elementOid);
    return r == null ? 0 : r;
  }

  private int elementOf(int arrayOid) {
    int e = Builtins.elementOf(arrayOid);
    if (e != 0) {
      return e;
    }
    Integer r = arrayElement.isEmpty() ? null : arrayElement.get(arrayOid);
    return r == null ? 0 : r;
  }

  /**
   * @param oid type
   * @return whether values of it can be decoded from binary format
   */
  public boolean hasBinaryCodec(int oid) {
    return hasBinary(oid, 0);
  }

  private boolean hasBinary(int oid, int depth) {
    if (depth > MAX_NESTING) {
      return false;
    }
    if (Builtins.type(oid) != null || enums.contains(oid)) {
      return true;
    }
    int elem = elementOf(oid);
    if (elem != 0) {
      return hasBinary(elem, depth + 1);
    }
    List<CompositeField> fields = composites.get(oid);
    if (fields != null) {
      for (CompositeField f : fields) {
        if (!hasBinary(f.oid(), depth + 1)) {
          return false;
        }
      }
      return true;
    }
    Codec c = custom.get(oid);
    return c != null && c.format() == Format.BINARY;
  }

  /**
   * @param oid type
   * @param format wire format
   * @param data the bytes from position to limit (not consumed)
   * @return the value
   */
  public Object decode(int oid, Format format, ByteBuffer data) {
    ByteBuffer b = data.slice();
    try {
      if (format == Format.BINARY) {
        return decodeBinary(oid, b);
      }
      Codec c = custom.isEmpty() ? null : custom.get(oid);
      if (c != null && c.format() == Format.TEXT) {
        return c.decode(b);
      }
      return decodeText(oid, Bufs.utf8(b));
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      throw new IllegalArgumentException("malformed value of type OID " + oid + " in " + format
          + " format: " + e, e);
    }
  }

  /**
   * Resolves, once per result column, how its values are decoded. Built-in scalar types read
   * straight from the buffer; enums and unknown text types are one UTF-8 decode; everything
   * else (arrays, composites, custom codecs, unknown binary types) gets a heap copy of its bytes
   * through {@link #decode}, so custom codecs see exactly the ByteBuffer they always did and may
   * keep it.
   *
   * @param oid the column's type OID
   * @param format its wire format
   * @return the decoder
   */
  public ColumnDecoder columnDecoder(int oid, Format format) {
    ColumnDecoder d = format == Format.BINARY ? BuiltinColumns.binary(oid)
        : BuiltinColumns.text(oid);
    if (d != null) {
      return d;
    }
    if (enums.contains(oid) || (format == Format.TEXT && !known(oid))) {
      return BuiltinColumns.STRING;
    }
    return new CopyingDecoder(this, oid, format);
  }

  /** Decodes through {@link #decode} over a heap copy of the value's bytes. */
  private static final class CopyingDecoder extends ColumnDecoder {
    private final TypeTable table;
    private final int oid;
    private final Format format;

    CopyingDecoder(TypeTable table, int oid, Format format) {
      super(REF);
      this.table = table;
      this.oid = oid;
      this.format = format;
    }

    @Override public Object decode(ByteBuf buf, int index, int length) {
      return table.decode(oid, format,
          ByteBuffer.wrap(ByteBufUtil.getBytes(buf, index, length)));
    }
  }

  /**
   * @param oid type
   * @param b big-endian buffer holding exactly the value (consumed)
   * @return the value
   */
  Object decodeBinary(int oid, ByteBuffer b) {
    PgType t = Builtins.type(oid);
    if (t != null) {
      return t.decodeBinary(b);
    }
    int elem = elementOf(oid);
    if (elem != 0) {
      return BinaryArrays.decode(b, elem, this);
    }
    List<CompositeField> fields = composites.get(oid);
    if (fields != null) {
      return Composites.decodeBinary(b, oid, fields, this);
    }
    if (enums.contains(oid)) {
      return Bufs.utf8(b);
    }
    Codec c = custom.get(oid);
    if (c != null && c.format() == Format.BINARY) {
      return c.decode(b);
    }
    return new RawBytes(oid, Bufs.bytes(b));
  }

  /**
   * @param oid type
   * @param s the value's text
   * @return the value
   */
  Object decodeText(int oid, String s) {
    PgType t = Builtins.type(oid);
    if (t != null) {
      return t.decodeText(s);
    }
    int elem = elementOf(oid);
    if (elem != 0) {
      return TextArrays.parse(s, elem, this);
    }
    List<CompositeField> fields = composites.get(oid);
    if (fields != null) {
      return Composites.decodeText(s, oid, fields, this);
    }
    Codec c = custom.get(oid);
    if (c != null && c.format() == Format.TEXT) {
      return c.decode(ByteBuffer.wrap(Bufs.utf8(s)));
    }
    return s;
  }

  /**
   * Encodes a value in binary as the given type, converting compatible Java types (e.g. an
   * Integer for an int8 field).
   *
   * @param oid the target type
   * @param v non-null value
   * @return binary bytes
   */
  byte[] encodeBinary(int oid, Object v) {
    PgType t = Builtins.type(oid);
    if (t != null) {
      return t.encodeBinary(v);
    }
    int elem = elementOf(oid);
    if (elem != 0) {
      if (!(v instanceof PgArray a)) {
        throw Bufs.wrongType("array type " + oid, v);
      }
      return BinaryArrays.encode(a, elem, this);
    }
    List<CompositeField> fields = composites.get(oid);
    if (fields != null) {
      if (!(v instanceof PgComposite c)) {
        throw Bufs.wrongType("composite type " + oid, v);
      }
      return Composites.encodeBinary(c, fields.stream().map(CompositeField::oid).toList(), this);
    }
    if (enums.contains(oid)) {
      if (v instanceof CharSequence || v instanceof Enum) {
        return Bufs.utf8(v instanceof Enum<?> e ? e.name() : v.toString());
      }
      throw Bufs.wrongType("enum type " + oid, v);
    }
    Codec c = custom.get(oid);
    if (c != null && c.format() == Format.BINARY) {
      return c.encode(v);
    }
    throw new IllegalArgumentException("no binary codec for type OID " + oid + " to encode "
        + v.getClass().getName() + " value " + Bufs.abbreviate(v));
  }

  /**
   * @param value non-null parameter
   * @return its OID, format and bytes
   */
  public EncodedValue encode(Object value) {
    Objects.requireNonNull(value, "value");
    int oid = naturalOid(value);
    if (oid == 0) {
      if (value instanceof String s) {
        return new EncodedValue(0, Format.TEXT, Bufs.utf8(s));
      }
      if (value instanceof PgArray a) {
        int arrayOid = arrayOidFor(a.elementOid());
        if (arrayOid == 0) {
          throw new IllegalArgumentException("no array type known for element type OID "
              + a.elementOid() + "; register it with withArrayType");
        }
        return new EncodedValue(arrayOid, Format.BINARY, BinaryArrays.encode(a, a.elementOid(),
            this));
      }
      if (value instanceof PgComposite c) {
        List<CompositeField> fields = composites.get(c.typeOid());
        List<Integer> oids = fields == null ? c.fieldOids()
            : fields.stream().map(CompositeField::oid).toList();
        return new EncodedValue(c.typeOid(), Format.BINARY, Composites.encodeBinary(c, oids,
            this));
      }
      return encodeCustom(value);
    }
    return new EncodedValue(oid, Format.BINARY, Builtins.type(oid).encodeBinary(value));
  }

  /**
   * Encodes a value in binary as a given type, converting compatible Java types (an Integer for
   * int8, a Long for numeric, PgArray elements...).
   *
   * @param oid the target type
   * @param value non-null value
   * @return the encoded value, or null when this table cannot encode the type in binary
   * @throws IllegalArgumentException if the value cannot be converted to the type
   */
  public EncodedValue encodeAs(int oid, Object value) {
    Objects.requireNonNull(value, "value");
    if (!hasBinaryCodec(oid)) {
      return null;
    }
    return new EncodedValue(oid, Format.BINARY, encodeBinary(oid, value));
  }

  /**
   * @param v a non-null value
   * @return the built-in type a value of its Java class is encoded as, 0 for the others
   */
  public static int naturalOid(Object v) {
    if (v instanceof Integer) {
      return 23;
    } else if (v instanceof Long) {
      return 20;
    } else if (v instanceof Short) {
      return 21;
    } else if (v instanceof Boolean) {
      return 16;
    } else if (v instanceof Double) {
      return 701;
    } else if (v instanceof Float) {
      return 700;
    } else if (v instanceof BigDecimal) {
      return 1700;
    } else if (v instanceof byte[]) {
      return 17;
    } else if (v instanceof UUID) {
      return 2950;
    } else if (v instanceof OffsetDateTime || v instanceof Instant) {
      return 1184;
    } else if (v instanceof LocalDateTime) {
      return 1114;
    } else if (v instanceof LocalDate) {
      return 1082;
    } else if (v instanceof LocalTime) {
      return 1083;
    } else if (v instanceof OffsetTime) {
      return 1266;
    } else if (v instanceof PgInterval) {
      return 1186;
    }
    return 0;
  }

  private EncodedValue encodeCustom(Object value) {
    Class<?> cls = value.getClass();
    Map.Entry<Integer, Codec> match = null;
    for (Map.Entry<Integer, Codec> e : custom.entrySet()) {
      if (e.getValue().javaType() == cls) {
        match = e;
        break;
      }
    }
    if (match == null) {
      for (Map.Entry<Integer, Codec> e : custom.entrySet()) {
        if (e.getValue().javaType().isAssignableFrom(cls)) {
          match = e;
          break;
        }
      }
    }
    if (match == null) {
      throw new IllegalArgumentException("no codec for Java type " + cls.getName()
          + ": use a supported type or register a Codec with CodecRegistry.withCodec");
    }
    Codec c = match.getValue();
    byte[] bytes = c.encode(value);
    if (bytes == null) {
      throw new IllegalArgumentException("codec for OID " + match.getKey() + " returned null");
    }
    return new EncodedValue(match.getKey(), c.format(), bytes);
  }

  /**
   * @param oid a type
   * @return whether it is a built-in type or registered
   */
  public boolean isKnown(int oid) {
    return known(oid);
  }
}
