#pragma once
// Item ids name files on disk, so they are short, lowercase and can never be a path.

#include <QString>
#include <QStringView>

namespace muze {

/// A new random id: 16 lowercase hex digits (64 bits from the system CSPRNG).
QString newId();

/// True for 1..64 characters of [a-z0-9_-], not starting with '-' or '_'.
/// Everything read from disk or from a server is checked with this before it names a file.
bool isValidId(QStringView id);

} // namespace muze
