// The local API's bearer token: a random secret kept in the data folder (readable by its owner
// only), so that programs of this user can call the API and other users of the computer cannot.
#pragma once

#include "util/result.h"

#include <filesystem>
#include <string>
#include <string_view>

namespace nesa::api {

/// The token file in `dataDir`: DATA/api-token.
std::filesystem::path apiTokenFile(const std::filesystem::path &dataDir);

/// The token in `file`, made (64 hex digits from 32 random bytes, mode 0600) when missing.
/// Refuses a link (Io), and (InvalidInput) a file of another user, one that others may read, or
/// one that holds fewer than 32 characters.
Result<std::string> loadOrCreateApiToken(const std::filesystem::path &file);

/// Whether an `Authorization` header value is "Bearer <token>", compared in constant time.
bool bearerMatches(std::string_view authorization, std::string_view token);

} // namespace nesa::api
