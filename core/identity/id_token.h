// OpenID Connect ID tokens: who the organisation's identity provider says signed in. A token is
// accepted only when the provider's key (from its JWKS, chosen by the token's key id) signed it
// with RS256, and its issuer, audience, authorised party, nonce and lifetime are what this
// sign-in expects. Torch-free; the JOSE work is rhonabwy's (Debian's librhonabwy).
#pragma once

#include "util/result.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace nesa::identity {

/// What an ID token must say to be accepted for one sign-in.
struct IdTokenExpectations {
  std::string issuer;              ///< the provider's issuer URL, compared exactly
  std::string clientId;            ///< ours: must be in `aud`, and be `azp` when that is given
  std::string nonce;               ///< the nonce this sign-in sent
  std::int64_t nowSeconds = 0;     ///< the Unix time the token is judged at
  std::int64_t leewaySeconds = 60; ///< clock difference tolerated on `exp` and `iat`
  /// A token kept in the user's data folder since a sign-in, checked again without a nonce
  /// (signature, issuer, audience and expiry are checked). Nothing here proves that this
  /// computer's sign-in received it: like any bearer token, a copy of an unexpired one stands
  /// for its person until it expires, which is why it is kept readable by its user alone.
  bool keptToken = false;
};

/// The person a verified ID token names.
struct IdClaims {
  std::string subject;             ///< `sub`: the provider's stable id for the person
  std::string userName;            ///< `preferred_username`, else `sub`
  std::vector<std::string> groups; ///< the `groups` claim (none when absent)
  std::int64_t expiresAt = 0;      ///< `exp`, Unix seconds
};

/// Verifies `token` (a compact JWS) against `jwksJson` (the provider's JSON Web Key Set) and
/// `expect`. RS256 only, the key chosen by the token's `kid` (the set's only key when the token
/// names none); keys or URLs the token itself carries are never used. Forbidden, naming the
/// check that failed (signature, issuer, audience, nonce, expiry…); InvalidInput when the token
/// or the key set is malformed.
Result<IdClaims> verifyIdToken(std::string_view token, std::string_view jwksJson,
                               const IdTokenExpectations &expect);

} // namespace nesa::identity
