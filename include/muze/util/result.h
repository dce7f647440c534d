#pragma once
// Errors as values at module boundaries: Result<T> holds either a T or an Error,
// shaped like std::expected so it can be swapped for it once C++23 is the floor.

#include <muze/util/errorcodes.h>

#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace muze {

/// What went wrong, in words a user can act on. `code` is a stable machine tag, one of the table
/// in muze/util/errorcodes.h (errc::corrupt_json, errc::wrong_password, ...), for callers that
/// branch on the kind of failure: `if (r.error().is(errc::offline))`. It stays a QString so a code
/// passes through unchanged (`makeError(why, other.error().code)`) and prints as itself.
struct Error {
    QString message;
    QString code;

    Error() = default;
    explicit Error(QString msg, QString tag = {}) : message(std::move(msg)), code(std::move(tag)) {}

    bool is(ErrorCode c) const { return code == c; }
    bool isAnyOf(std::initializer_list<ErrorCode> codes) const { return ErrorCode::anyOf(code, codes); }
};

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_v(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : m_v(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<0>(m_v); }
    const T& value() const& { return std::get<0>(m_v); }
    T&& value() && { return std::get<0>(std::move(m_v)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const Error& error() const { return std::get<1>(m_v); }
    QString errorString() const { return ok() ? QString() : error().message; }

    T valueOr(T fallback) const { return ok() ? value() : std::move(fallback); }

private:
    std::variant<T, Error> m_v;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)) {}

    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error& error() const { return *m_error; }
    QString errorString() const { return ok() ? QString() : m_error->message; }

private:
    std::optional<Error> m_error;
};

using Status = Result<void>;

/// `code` is an errc:: constant, or a code passed on from another Error; never a string literal
/// (tests/layers/check_error_codes.py).
inline Error makeError(QString message, QString code = {}) { return Error(std::move(message), std::move(code)); }

} // namespace muze
