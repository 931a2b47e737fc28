package org.pgsession.internal.codec;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.pgsession.types.CompositeField;
import org.pgsession.types.PgComposite;

/**
 * Composite (row) values. Binary: int32 field count, then per field int32 type OID, int32 length
 * (-1 for NULL) and bytes. Text: {@code (a,"b c",,"")}: an empty unquoted field is NULL,
 * {@code ""} is the empty string, inside quotes {@code ""} and {@code \"} are a quote, and a
 * backslash escapes the next character anywhere.
 */
public final class Composites {
  private Composites() {}

  private static PgComposite make(int typeOid, List<CompositeField> fields, List<Object> values) {
    List<String> names = new ArrayList<>(fields.size());
    List<Integer> oids = new ArrayList<>(fields.size());
    for (CompositeField f : fields) {
      names.add(f.name());
      oids.add(f.oid());
    }
    return new PgComposite(typeOid, names, oids, values);
  }

  /**
   * @param b the record bytes (consumed)
   * @param typeOid the composite type
   * @param fields its registered attributes
   * @param types the registry, for field values
   * @return the composite
   */
  public static PgComposite decodeBinary(ByteBuffer b, int typeOid, List<CompositeField> fields,
      TypeTable types) {
    Bufs.need(b, 4, "record");
    int n = b.getInt();
    if (n != fields.size()) {
      throw Bufs.malformed("record", "has " + n + " fields, type " + typeOid + " has "
          + fields.size());
    }
    List<Object> values = new ArrayList<>(n);
    for (CompositeField f : fields) {
      Bufs.need(b, 8, "record");
      b.getInt(); // the field's OID as sent; decoded with the registered one
      int len = b.getInt();
      if (len == -1) {
        values.add(null);
      } else if (len < 0) {
        throw Bufs.malformed("record", "invalid field length " + len);
      } else {
        values.add(types.decodeBinary(f.oid(), Bufs.take(b, len, "record field")));
      }
    }
    if (b.hasRemaining()) {
      throw Bufs.malformed("record", b.remaining() + " bytes after the last field");
    }
    return make(typeOid, fields, values);
  }

  /**
   * @param s the record text
   * @param typeOid the composite type
   * @param fields its registered attributes
   * @param types the registry, for field values
   * @return the composite
   */
  public static PgComposite decodeText(String s, int typeOid, List<CompositeField> fields,
      TypeTable types) {
    int pos = 0;
    int len = s.length();
    while (pos < len && Character.isWhitespace(s.charAt(pos))) {
      pos++;
    }
    if (pos >= len || s.charAt(pos) != '(') {
      throw bad(s, "missing '('");
    }
    pos++;
    List<Object> values = new ArrayList<>(fields.size());
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < fields.size(); i++) {
      if (pos >= len) {
        throw bad(s, "unexpected end");
      }
      char c = s.charAt(pos);
      if (c == ',' || c == ')') {
        values.add(null);
      } else {
        sb.setLength(0);
        boolean quoted = false;
        while (true) {
          if (pos >= len) {
            throw bad(s, "unexpected end");
          }
          c = s.charAt(pos);
          if (c == '\\') {
            if (pos + 1 >= len) {
              throw bad(s, "unexpected end");
            }
            sb.append(s.charAt(pos + 1));
            pos += 2;
          } else if (c == '"') {
            if (!quoted) {
              quoted = true;
            } else if (pos + 1 < len && s.charAt(pos + 1) == '"') {
              sb.append('"');
              pos++;
            } else {
              quoted = false;
            }
            pos++;
          } else if (!quoted && (c == ',' || c == ')')) {
            break;
          } else {
            sb.append(c);
            pos++;
          }
        }
        values.add(types.decodeText(fields.get(i).oid(), sb.toString()));
      }
      c = s.charAt(pos);
      boolean last = i == fields.size() - 1;
      if (c == ',' && !last) {
        pos++;
      } else if (c == ')' && last) {
        // consumed below
      } else {
        throw bad(s, c == ',' ? "too many fields" : "too few fields");
      }
    }
    if (fields.isEmpty() && (pos >= len || s.charAt(pos) != ')')) {
      throw bad(s, "too many fields");
    }
    pos++;
    while (pos < len && Character.isWhitespace(s.charAt(pos))) {
      pos++;
    }
    if (pos != len) {
      throw bad(s, "junk after ')'");
    }
    return make(typeOid, fields, values);
  }

  private static IllegalArgumentException bad(String s, String why) {
    return Bufs.malformed("record literal", why + " in " + Bufs.abbreviate(s));
  }

  /**
   * @param c the value
   * @param oids the field type OIDs to encode with (the registered ones if the type is
   *     registered, else the value's own)
   * @param types the registry, for field values
   * @return the binary record
   */
  public static byte[] encodeBinary(PgComposite c, List<Integer> oids, TypeTable types) {
    if (oids.size() != c.fields().size()) {
      throw new IllegalArgumentException("composite type " + c.typeOid() + " has " + oids.size()
          + " fields, value has " + c.fields().size());
    }
    Out out = new Out(16 + 16 * oids.size());
    out.putInt(oids.size());
    for (int i = 0; i < oids.size(); i++) {
      int oid = oids.get(i);
      Object v = c.fields().get(i);
      out.putInt(oid);
      if (v == null) {
        out.putInt(-1);
      } else {
        byte[] b = types.encodeBinary(oid, v);
        out.putInt(b.length).put(b);
      }
    }
    return out.toArray();
  }
}
