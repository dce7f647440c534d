#include <muze/sync/syncstatus.h>

namespace muze::sync {

QString vaultStateName(VaultState s)
{
    switch (s) {
    case VaultState::Idle:
        return QStringLiteral("idle");
    case VaultState::Syncing:
        return QStringLiteral("syncing");
    case VaultState::Synced:
        return QStringLiteral("synced");
    case VaultState::Pending:
        return QStringLiteral("pending");
    case VaultState::Offline:
        return QStringLiteral("offline");
    case VaultState::Error:
        return QStringLiteral("error");
    case VaultState::Locked:
        return QStringLiteral("locked");
    case VaultState::SignedOut:
        return QStringLiteral("signed-out");
    case VaultState::Attention:
        return QStringLiteral("attention");
    case VaultState::Paused:
        return QStringLiteral("paused");
    }
    return {};
}

} // namespace muze::sync
