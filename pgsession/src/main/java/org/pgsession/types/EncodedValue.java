package org.pgsession.types;

/**
 * A parameter value ready for Bind.
 *
 * @param oid the type OID to declare in Parse (0 lets the server infer it)
 * @param format the wire format of {@code bytes}
 * @param bytes the wire bytes; null for SQL NULL
 */
public record EncodedValue(int oid, Format format, byte[] bytes) {}
