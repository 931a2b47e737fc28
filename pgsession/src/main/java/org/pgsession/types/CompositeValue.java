package org.pgsession.types;

/** @param name attribute name @param oid attribute type OID @param value its value, or null */
public record CompositeValue(String name, int oid, Object value) {}
