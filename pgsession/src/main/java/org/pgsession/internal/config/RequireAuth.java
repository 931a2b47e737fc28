package org.pgsession.internal.config;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.pgsession.AuthRequirement;

/**
 * libpq's {@code require_auth} (a list of methods the server may use, or a list of {@code !method}
 * it may not) mapped onto pgsession's {@link AuthRequirement}. Of the methods pgsession supports
 * ({@code password}, {@code md5}, {@code scram-sha-256}, {@code none}), a list allowing exactly
 * SCRAM is {@link AuthRequirement#REQUIRE_SCRAM} and a list allowing all four is
 * {@link AuthRequirement#ALLOW_ANY}; other combinations cannot be expressed yet and are refused.
 * Unset, pgsession's own default applies: {@link AuthRequirement#REQUIRE_SCRAM} (libpq's is "any").
 */
final class RequireAuth {
  private static final List<String> LIBPQ_METHODS =
      List.of("password", "md5", "gss", "sspi", "scram-sha-256", "oauth", "none");
  private static final Set<String> SUPPORTED = Set.of("password", "md5", "scram-sha-256", "none");

  private RequireAuth() {}

  /**
   * @param value the require_auth value, or null when unset
   * @param values for error messages naming the key and its source
   * @return the policy
   */
  static AuthRequirement parse(String value, ParamValues values) {
    if (value == null) {
      return AuthRequirement.REQUIRE_SCRAM;
    }
    Set<String> allowed = new LinkedHashSet<>();
    Set<String> denied = new LinkedHashSet<>();
    for (String raw : value.split(",", -1)) {
      String m = raw.strip();
      boolean negated = m.startsWith("!");
      String method = negated ? m.substring(1) : m;
      if (!LIBPQ_METHODS.contains(method)) {
        throw values.bad(ConnKey.REQUIRE_AUTH, "invalid require_auth method: \"" + m + "\"");
      }
      if (!(negated ? denied : allowed).add(method)) {
        throw values.bad(ConnKey.REQUIRE_AUTH, "require_auth method \"" + method + "\" is specified more than once");
      }
    }
    if (!allowed.isEmpty() && !denied.isEmpty()) {
      throw values.bad(ConnKey.REQUIRE_AUTH, "negative require_auth method \"!" + denied.iterator().next()
          + "\" cannot be mixed with non-negative methods");
    }
    Set<String> effective = new LinkedHashSet<>(SUPPORTED);
    if (denied.isEmpty()) {
      effective.retainAll(allowed);
    } else {
      effective.removeAll(denied);
    }
    if (effective.equals(Set.of("scram-sha-256"))) {
      return AuthRequirement.REQUIRE_SCRAM;
    }
    if (effective.equals(SUPPORTED)) {
      return AuthRequirement.ALLOW_ANY;
    }
    throw values.bad(ConnKey.REQUIRE_AUTH, "require_auth=" + value + " cannot be expressed yet: pgsession either"
        + " requires SCRAM (require_auth=scram-sha-256, the default) or allows password, md5, scram-sha-256 and"
        + " none together");
  }
}
