// result.h — the one error type for expected failures across core, and Result<T>.
//
// Contract: core never lets an exception cross its API. A function that can fail for reasons a user or
// the environment causes (bad input, a missing record, a stale rev, a full disk) returns Result<T>;
// programmer errors are asserts. An Error carries a stable machine code (the SPEC §5 `error.code`),
// a message in both UI languages, and per-field messages for validation failures, so the HTTP layer
// and the client can show "every bad field named" without re-deriving anything.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "core/i18n.h"

namespace kehu {

enum class ErrorCode {
  bad_request,        // malformed JSON, query string or cursor (HTTP 400)
  unauthorized,       // no valid session (401)
  invalid_credentials,// wrong username or password (401)
  forbidden,          // visible but not changeable (403)
  not_found,          // absent or not visible (404)
  conflict,           // stale rev (409)
  duplicate,          // duplicate guard (409)
  too_large,          // body over the limit (413)
  validation,         // one or more fields invalid (422)
  insufficient_stock, // an order line asks for more than is in stock (422, the line's field named)
  invalid_transition, // a contract or ticket status change its state machine does not allow (422)
  in_use,             // a delete refused because other records still need this one (409)
  throttled,          // too many attempts (429)
  busy,               // the server has no room for this now; try again later (503)
  storage,            // the database failed (500; never caused by input)
};

// The wire name of a code ("bad_request", "conflict", ...).
const char* error_code_name(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::storage;
  Text message;                        // what happened, in words a user understands
  std::map<std::string, Text> fields;  // field name -> what is wrong with it (validation)

  static Error make(ErrorCode code, Text message) { return Error{code, std::move(message), {}}; }
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}      // NOLINT
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  const Error& error() const { return std::get<1>(v_); }
  Error&& take_error() { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

// Result<void>: success carries nothing.
struct Ok {};
using Status = Result<Ok>;
inline Status ok_status() { return Ok{}; }

}  // namespace kehu

// Propagate an error from an expression returning Result<...> or Status.
#define KEHU_TRY(expr)                                  \
  do {                                                  \
    auto kehu_try_r_ = (expr);                          \
    if (!kehu_try_r_.ok()) return kehu_try_r_.take_error(); \
  } while (0)
