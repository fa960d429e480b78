#include "identity/id_token.h"

#include <nlohmann/json.hpp>
#include <rhonabwy.h>

#include <memory>

namespace nesa::identity {
namespace {

using json = nlohmann::json;

struct JwksDeleter {
  void operator()(jwks_t *p) const { r_jwks_free(p); }
};
struct JwtDeleter {
  void operator()(jwt_t *p) const { r_jwt_free(p); }
};
struct JwkDeleter {
  void operator()(jwk_t *p) const { r_jwk_free(p); }
};
struct CharDeleter {
  void operator()(char *p) const { r_free(p); }
};

Error refused(const std::string &why) {
  return {ErrorCode::Forbidden, "the identity provider's ID token is refused: " + why};
}

/// The checks on the claims that rhonabwy does not make the way OpenID Connect asks (an `aud`
/// that is a list, leeway on the times).
Result<IdClaims> checkClaims(const json &claims, const IdTokenExpectations &expect) {
  const auto text = [&](const char *name) {
    return claims.contains(name) && claims[name].is_string() ? claims[name].get<std::string>()
                                                             : std::string();
  };
  if (text("iss") != expect.issuer)
    return refused("it was issued by \"" + text("iss") + "\", not by " + expect.issuer);
  bool forUs = text("aud") == expect.clientId;
  if (claims.contains("aud") && claims["aud"].is_array())
    for (const auto &aud : claims["aud"])
      forUs = forUs || (aud.is_string() && aud.get<std::string>() == expect.clientId);
  if (!forUs)
    return refused("it is meant for another application (audience), not " + expect.clientId);
  // Several audiences: the authorised party must say it was given to us (OpenID Connect §3.1.3.7).
  const bool severalAudiences =
      claims.contains("aud") && claims["aud"].is_array() && claims["aud"].size() > 1;
  if ((claims.contains("azp") || severalAudiences) && text("azp") != expect.clientId)
    return refused("it was given to another application (azp \"" + text("azp") + "\")");
  if (!expect.keptToken && (expect.nonce.empty() || text("nonce") != expect.nonce))
    return refused("its nonce is not this sign-in's: it may be replayed from another one");
  if (!claims.contains("exp") || !claims["exp"].is_number_integer())
    return refused("it says no expiry");
  const auto exp = claims["exp"].get<std::int64_t>();
  if (exp < expect.nowSeconds - expect.leewaySeconds)
    return refused("it expired " + std::to_string(expect.nowSeconds - exp) + " s ago");
  for (const char *notBefore : {"iat", "nbf"})
    if (claims.contains(notBefore) &&
        (!claims[notBefore].is_number_integer() ||
         claims[notBefore].get<std::int64_t>() > expect.nowSeconds + expect.leewaySeconds))
      return refused(std::string("its ") + notBefore +
                     " is in the future or not a time: is this computer's clock right?");
  IdClaims out;
  out.subject = text("sub");
  if (out.subject.empty())
    return refused("it names nobody (no sub)");
  out.userName = text("preferred_username").empty() ? out.subject : text("preferred_username");
  if (claims.contains("groups")) {
    if (!claims["groups"].is_array())
      return refused("its groups claim is not a list");
    for (const auto &group : claims["groups"])
      if (group.is_string())
        out.groups.push_back(group.get<std::string>());
  }
  out.expiresAt = exp;
  return out;
}

} // namespace

Result<IdClaims> verifyIdToken(std::string_view token, std::string_view jwksJson,
                               const IdTokenExpectations &expect) {
  const std::string tokenText(token), jwksText(jwksJson);
  jwks_t *rawKeys = nullptr;
  if (r_jwks_init(&rawKeys) != RHN_OK)
    return fail(ErrorCode::Internal, "cannot make a key set");
  std::unique_ptr<jwks_t, JwksDeleter> keys(rawKeys);
  if (r_jwks_import_from_json_str(keys.get(), jwksText.c_str()) != RHN_OK ||
      r_jwks_size(keys.get()) == 0)
    return fail(ErrorCode::InvalidInput, "the identity provider's key set (JWKS) is malformed");
  jwt_t *rawJwt = nullptr;
  if (r_jwt_init(&rawJwt) != RHN_OK)
    return fail(ErrorCode::Internal, "cannot make a token");
  std::unique_ptr<jwt_t, JwtDeleter> jwt(rawJwt);
  // R_PARSE_NONE: keys or key URLs in the token's own header are not imported, and an
  // unsigned token ("alg": "none") does not parse.
  if (r_jwt_advanced_parse(jwt.get(), tokenText.c_str(), R_PARSE_NONE, 0) != RHN_OK ||
      r_jwt_get_type(jwt.get()) != R_JWT_TYPE_SIGN)
    return refused("it is not a signed token (JWS)");
  if (r_jwt_get_sign_alg(jwt.get()) != R_JWA_ALG_RS256)
    return refused("it is signed with another algorithm than RS256");
  const char *kid = r_jwt_get_header_str_value(jwt.get(), "kid");
  std::unique_ptr<jwk_t, JwkDeleter> key(
      kid ? r_jwks_get_by_kid(keys.get(), kid)
          : (r_jwks_size(keys.get()) == 1 ? r_jwks_get_at(keys.get(), 0) : nullptr));
  if (!key)
    return refused(std::string("the provider's key set has no key ") + (kid ? kid : "for it"));
  // A key published for encryption, or for another algorithm, does not sign ID tokens.
  const char *use = r_jwk_get_property_str(key.get(), "use");
  const char *alg = r_jwk_get_property_str(key.get(), "alg");
  if ((use && std::string_view(use) != "sig") || (alg && std::string_view(alg) != "RS256"))
    return refused("the provider's key " + std::string(kid ? kid : "") +
                   " is not an RS256 signing key");
  // R_FLAG_IGNORE_REMOTE: a key given by URL (x5u) is never fetched.
  if (r_jwt_verify_signature(jwt.get(), key.get(), R_FLAG_IGNORE_REMOTE) != RHN_OK)
    return refused("its signature is not the provider's");
  std::unique_ptr<char, CharDeleter> claimsText(r_jwt_get_full_claims_str(jwt.get()));
  if (!claimsText)
    return refused("it holds no claims");
  const json claims = json::parse(claimsText.get(), nullptr, false);
  if (!claims.is_object())
    return refused("its claims are not a JSON object");
  return checkClaims(claims, expect);
}

} // namespace nesa::identity
