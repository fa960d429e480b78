#include "util/result.h"

namespace nesa {

const char *errorCodeName(ErrorCode code) {
  switch (code) {
  case ErrorCode::InvalidInput: return "invalid-input";
  case ErrorCode::NotFound: return "not-found";
  case ErrorCode::AlreadyExists: return "already-exists";
  case ErrorCode::WrongPassphrase: return "wrong-passphrase";
  case ErrorCode::Corrupt: return "corrupt";
  case ErrorCode::Io: return "io";
  case ErrorCode::Unavailable: return "unavailable";
  case ErrorCode::Cancelled: return "cancelled";
  case ErrorCode::Internal: return "internal";
  case ErrorCode::Busy: return "busy";
  case ErrorCode::Forbidden: return "forbidden";
  }
  return "unknown";
}

} // namespace nesa
