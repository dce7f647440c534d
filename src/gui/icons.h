#pragma once
// Icons drawn in code (no image plugins needed): providers and sync states.

#include <muze/vault/vaultrecord.h>

#include <QIcon>

namespace muze::gui {

QIcon providerIcon(vault::Provider provider, vault::SyncStatus status, int size = 32);
QString statusText(const vault::VaultRecord& record);

} // namespace muze::gui
