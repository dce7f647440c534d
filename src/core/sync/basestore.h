#pragma once
// Merge bases: the content of each JSON file as of its last sync, kept content-addressed in
// <vault>/.muze-state/bases/<hash>.json so writing a base and then the journal row that names
// it (by its hash) is crash-safe in that order, and equal files share one base.

#include <muze/util/result.h>

#include <QByteArray>
#include <QSet>
#include <QString>

namespace muze::sync {

class BaseStore {
public:
    explicit BaseStore(const QString& vaultRoot);
    Status put(const QString& hash, const QByteArray& content) const;
    /// Empty optional-like: ok with an empty array when there is no base for `hash`.
    Result<QByteArray> get(const QString& hash) const;
    bool has(const QString& hash) const;
    /// Removes bases no longer named by any journal row.
    void collectGarbage(const QSet<QString>& referenced) const;

private:
    QString fileFor(const QString& hash) const;
    QString m_dir;
};

} // namespace muze::sync
