package org.pgsession;

/**
 * A run-time parameter reported by the server (at startup and after a {@code SET}).
 *
 * @param name the parameter name, e.g. {@code server_version}
 * @param value its current value
 */
public record ParameterStatus(String name, String value) {}
