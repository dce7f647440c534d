#pragma once
// Who wrote a model file (issue 12, docs/FORMAT.md §7.5): every collection, project, mix and
// vault JSON this process writes carries `"modified_by": "<device id>"`, the id of this device
// in the vault's device list (`.muze/devices/<device-id>.json`), so the History panel can say
// "by Anna's iPhone". The app and muze-cli set the id once at start-up, from their device
// identity (vault::VaultManager::device()); a process that never sets it (tests, tools) writes
// no `modified_by` and keeps the one a file already has.
//
// Thread-safe: the id is read under a lock by whichever thread writes.

#include <muze/util/json.h>

#include <QString>

namespace muze::model {

/// The device id stamped into every model file written from now on ("" = stamp nothing).
void setWriterDevice(const QString& deviceId);
QString writerDevice();

/// `doc` with `"modified_by"` set to writerDevice() (unchanged when no writer is set).
Json stampWriter(Json doc);

} // namespace muze::model
