#pragma once
// Search in a vault: collections, projects, mixes and tracks whose name, notes or tags hold
// every word of a query (words normalised as in docs/FORMAT.md §4: NFC, lower case).
//
//   Result<SearchOutcome> r = searchVault(root, vaultId, "live drums");
//
// An encrypted vault answers from its blind index (.muze/search-index.json, HMAC-SHA256
// tokens under the search key), which this call first brings in step with the model on this
// device: rebuilt under the active key and written only when a token changed. A plain vault
// matches the same words directly. Errors: "locked" (encrypted, no keys on this device), the
// model's and the key ring's. Blocks on the keychain and the disk: not for the GUI thread.

#include <muze/model/tree.h>
#include <muze/util/result.h>

#include <QList>
#include <QString>
#include <QStringList>

namespace muze::search {

struct Hit {
    model::ItemKind kind = model::ItemKind::Collection;
    QString id;
    QString name;
    QString where; // "Collection › Project › Mix" above the item ("" for a collection)
    QStringList ancestorIds; // collection, project, mix ids above it, outermost first
};

struct SearchOutcome {
    QList<Hit> hits; // in tree order
    bool blind = false; // answered from blind tokens (encrypted vault)
    bool indexUpdated = false; // the index file was rewritten
};

/// The query's normalised words; empty when it has none (nothing to search for).
QStringList queryWords(const QString& query);

Result<SearchOutcome> searchVault(const QString& vaultRoot, const QString& vaultId, const QString& query);

} // namespace muze::search
