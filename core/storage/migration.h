// Schema migrations: numbered SQL scripts applied once each, in order.
#pragma once

#include <string>
#include <vector>

namespace nesa::storage {

/// One step of a store's schema. Versions start at 1 and increase by one; the store records the
/// last applied version (PRAGMA user_version) and applies each newer step in its own transaction.
struct Migration {
  int version = 0;
  std::string description; ///< shown in errors and logs: "create accounts table"
  std::string sql;         ///< one or more statements
};

/// The ordered steps of one store's schema (the wallet's, the history's, ...).
using Schema = std::vector<Migration>;

} // namespace nesa::storage
