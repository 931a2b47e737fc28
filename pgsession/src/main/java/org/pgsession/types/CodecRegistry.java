package org.pgsession.types;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import org.pgsession.internal.codec.TypeTable;

/**
 * Immutable registry of codecs by type OID: every built-in type (see the value mapping in the
 * API contract), their array types, and user-registered custom codecs, enums, composites and
 * arrays. Every {@code with*} method returns a new registry and leaves this one unchanged, so a
 * registry can be shared freely between threads.
 *
 * <p>Decoding never throws anything but {@link IllegalArgumentException} for malformed input.
 * Text formats assume the session settings the driver uses: {@code DateStyle=ISO},
 * {@code IntervalStyle=postgres}, {@code bytea_output=hex} and UTF-8 client encoding.
 *
 * <p>Notes on mappings: {@code numeric} values with a negative BigDecimal scale (e.g.
 * {@code 1E+5}) are sent with scale 0 and come back as {@code 100000}: equal by
 * {@code compareTo}, not by {@code equals}. Array lower bounds are not kept. {@code time
 * '24:00:00'} is {@link java.time.LocalTime#MAX}. Temporal values with sub-microsecond precision
 * are rejected when encoding rather than truncated.
 */
public final class CodecRegistry {
  private static final CodecRegistry DEFAULTS = new CodecRegistry(TypeTable.defaults());

  static {
    TypeTable.installRegistryAccess(r -> r.table);
  }

  private final TypeTable table;

  private CodecRegistry(TypeTable table) {
    this.table = table;
  }

  /** @return a registry of all built-in codecs */
  public static CodecRegistry defaults() {
    return DEFAULTS;
  }

  /**
   * Registers a custom codec. Values of the OID are decoded with it in its format (in the other
   * format they decode as for an unknown type); parameters whose class matches its
   * {@link Codec#javaType()} are encoded with it.
   *
   * @param oid the type OID
   * @param codec the codec
   * @return a new registry
   * @throws IllegalArgumentException if the OID is built-in or already registered
   */
  public CodecRegistry withCodec(int oid, Codec codec) {
    return new CodecRegistry(table.withCodec(oid, codec));
  }

  /**
   * Registers an enum type: its values decode (text and binary) to the label String.
   *
   * @param oid the enum type OID
   * @return a new registry
   * @throws IllegalArgumentException if the OID is built-in or already registered
   */
  public CodecRegistry withEnumType(int oid) {
    return new CodecRegistry(table.withEnumType(oid));
  }

  /**
   * Registers a composite type: its values decode to {@link PgComposite}, each field decoded by
   * the codec of its OID.
   *
   * @param oid the composite type OID
   * @param fields its attributes, in order
   * @return a new registry
   * @throws IllegalArgumentException if the OID is built-in or already registered
   */
  public CodecRegistry withCompositeType(int oid, List<CompositeField> fields) {
    Objects.requireNonNull(fields, "fields");
    return new CodecRegistry(table.withCompositeType(oid, fields));
  }

  /**
   * Registers an array type (built-in arrays are pre-registered).
   *
   * @param arrayOid the array type OID
   * @param elementOid its element type OID
   * @return a new registry
   * @throws IllegalArgumentException if the array OID is built-in or already registered, or the
   *     element type already has an array type
   */
  public CodecRegistry withArrayType(int arrayOid, int elementOid) {
    return new CodecRegistry(table.withArrayType(arrayOid, elementOid));
  }

  /**
   * @param elementOid an element type OID
   * @return its array type OID, 0 if unknown
   */
  public int arrayOidFor(int elementOid) {
    return table.arrayOidFor(elementOid);
  }

  /**
   * @param oid a type OID
   * @return true if results of this type can be requested in binary format: built-ins, enums,
   *     arrays of such, composites whose fields all qualify, binary custom codecs
   */
  public boolean hasBinaryCodec(int oid) {
    return table.hasBinaryCodec(oid);
  }

  /**
   * @param oid a type OID
   * @return the format to request results of this type in: BINARY if {@link #hasBinaryCodec}
   */
  public Format formatFor(int oid) {
    return table.hasBinaryCodec(oid) ? Format.BINARY : Format.TEXT;
  }

  /**
   * @param oid a type OID
   * @return whether the OID is a built-in type or registered here
   */
  public boolean isKnown(int oid) {
    return table.isKnown(oid);
  }

  /**
   * Decodes one value. Unknown OIDs decode to a String (text) or {@link RawBytes} (binary).
   *
   * @param oid the value's type OID
   * @param format its wire format
   * @param data the bytes from position to limit; the buffer is not modified
   * @return the value
   * @throws IllegalArgumentException if the bytes are malformed
   */
  public Object decode(int oid, Format format, ByteBuffer data) {
    Objects.requireNonNull(format, "format");
    return table.decode(oid, format, data);
  }

  /**
   * Encodes a non-null parameter in binary as the given type, converting compatible Java types
   * (e.g. an Integer for an int8 parameter, a Double for numeric). Used for named statements,
   * whose parameter types the server fixed when they were prepared.
   *
   * @param oid the parameter's type OID
   * @param value the parameter, not null
   * @return its encoding, or null when the registry cannot encode that type in binary
   * @throws IllegalArgumentException if the value cannot be converted to the type
   */
  public EncodedValue encodeAs(int oid, Object value) {
    Objects.requireNonNull(value, "value");
    try {
      return table.encodeAs(oid, value);
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      throw new IllegalArgumentException("cannot encode " + value.getClass().getName() + " as type OID "
          + oid + ": " + e, e);
    }
  }

  /**
   * Encodes a non-null parameter: the built-in Java types in binary with their OID, a String as
   * text with OID 0 (the server infers its type), {@link PgArray} and {@link PgComposite} in
   * binary (elements and fields converted to their declared types), and other types with a
   * registered codec whose Java type matches (exact class first, then a supertype).
   *
   * @param value the parameter, not null
   * @return its OID, format and bytes
   * @throws IllegalArgumentException if there is no codec for it or it cannot be encoded
   * @throws NullPointerException if value is null
   */
  public EncodedValue encode(Object value) {
    Objects.requireNonNull(value, "value");
    try {
      return table.encode(value);
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      throw new IllegalArgumentException("cannot encode " + value.getClass().getName() + ": "
          + e, e);
    }
  }
}
