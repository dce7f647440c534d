#pragma once
// The one table of error codes (docs/DESIGN.md §6). An Error's `code` is a stable machine tag that
// callers branch on; tests match it and the key status JSON carries it (`locked_code`), so the
// string values never change: a new kind of failure is a new line here. Producers pass a constant
// from here to makeError(); consumers ask `error.is(errc::offline)`. tests/layers/
// check_error_codes.py fails on a string literal used as a code under src/, include/, platform/.

#include <QLatin1String>
#include <QString>

#include <cstring>
#include <initializer_list>

namespace muze {

/// A code of the table below. A literal type, so the table is constexpr and costs nothing; it
/// turns into the QString stored in Error::code where one is needed.
class ErrorCode {
public:
    explicit constexpr ErrorCode(const char* value)
        : m_value(value)
    {
    }

    constexpr const char* value() const { return m_value; }
    QLatin1String latin1() const { return QLatin1String(m_value); }
    QString toString() const { return QString::fromLatin1(m_value); }
    operator QString() const { return toString(); } // NOLINT: makeError(msg, errc::io), e.code = errc::x

    friend bool operator==(ErrorCode a, ErrorCode b) { return std::strcmp(a.m_value, b.m_value) == 0; }
    friend bool operator==(const QString& code, ErrorCode c) { return code == QLatin1String(c.m_value); }

    /// True when `code` is one of `codes`.
    static bool anyOf(const QString& code, std::initializer_list<ErrorCode> codes)
    {
        for (ErrorCode c : codes) {
            if (code == c)
                return true;
        }
        return false;
    }

private:
    const char* m_value;
};

/// Each code: what it means, then how the app reacts. "Shown" means the message is shown (CLI:
/// one line on stderr, exit 1; GUI: status bar or dialog) and nothing else happens.
namespace errc {

// ---- I/O, the network, the remote --------------------------------------------------------------
/// A file, folder, keychain-less store or remote call failed (core, remote, CLI). Shown; a sync
/// step with it fails that file (FileState::Error) and the next run retries.
inline constexpr ErrorCode io{"io"};
/// The same kind of failure from the WAV and audio layers (open, create, write a take). A near-
/// duplicate of `io` kept for its consumers: the mix view reads it as "audio not on this device yet".
inline constexpr ErrorCode io_error{"io_error"};
/// The remote cannot be reached (network down, HTTP 5xx, a dropped connection). Not an error to
/// the user: the vault shows as offline, changes queue, the sync worker retries (15 s doubling to
/// 5 min); the Dropbox client retries the call first; the CLI records the vault as offline.
inline constexpr ErrorCode offline{"offline"};
/// No answer in time (HTTP idle timeout, browser sign-in). A long-poll reads it as "no change";
/// it stops a Dropbox upload batch; elsewhere shown.
inline constexpr ErrorCode timeout{"timeout"};
/// TLS failed with the server. Shown; never retried silently.
inline constexpr ErrorCode tls{"tls"};
/// Not signed in or the token was refused (HTTP 401, sign-in abandoned). Stops the sync run; the
/// vault shows "signed out" and the GUI asks the user to connect Dropbox again.
inline constexpr ErrorCode auth{"auth"};
/// The server asks us to slow down (HTTP 429, too_many_write_operations). Waits Retry-After, then
/// retries; a batch puts the file into the next round.
inline constexpr ErrorCode rate_limited{"rate_limited"};
/// The remote's account is full. Stops the sync run; shown.
inline constexpr ErrorCode insufficient_space{"insufficient_space"};
/// The disk holding the vault is full. Stops the sync run; shown with what to free.
inline constexpr ErrorCode local_disk_full{"local_disk_full"};
/// Dropbox's listing cursor expired. The listing starts over from scratch.
inline constexpr ErrorCode reset{"reset"};
/// Dropbox's upload session is at another offset than ours. The upload resumes from its offset.
inline constexpr ErrorCode incorrect_offset{"incorrect_offset"};
/// The remote offers no such service here (no history, iCloud off or signed out). Shown; the
/// feature is hidden or the vault waits for iCloud.
inline constexpr ErrorCode unavailable{"unavailable"};
/// The vault has no remote to sync with. The history panel says so instead of failing.
inline constexpr ErrorCode no_remote{"no_remote"};
/// A setting is missing (Dropbox app key, a vault's Dropbox folder). Shown with what to set.
inline constexpr ErrorCode config{"config"};
/// A sign-in is still running. The caller waits for it.
inline constexpr ErrorCode pending{"pending"};

// ---- What is there -----------------------------------------------------------------------------
/// No such file, item, vault, device, key or remote path. Shown; a sync step retries (the remote
/// moved since its listing); a missing device key means "locked"; a delete of it succeeds.
inline constexpr ErrorCode not_found{"not_found"};
/// The thing to create is already there (a vault name, folder or registration). Shown.
inline constexpr ErrorCode exists{"exists"};
/// A name matches several vaults, items or devices. Shown: "use an id".
inline constexpr ErrorCode ambiguous{"ambiguous"};
/// The remote holds something else at that path or rev than we expected. A sync step retries;
/// the reconciler then turns a real clash into a conflict copy the user resolves.
inline constexpr ErrorCode conflict{"conflict"};
/// The remote changed while a file was transferred, or a file grew since the scan. A sync step
/// retries on the next pass (FileState::Pending).
inline constexpr ErrorCode changed{"changed"};
/// A file name from disk or a server is unsafe (absolute, `..`, control characters, the vault
/// folder itself). Refused; a listing skips that entry and reports it.
inline constexpr ErrorCode hostile_path{"hostile_path"};
/// Another sync, recording or Muze instance is busy with it. The sync worker retries in 10 s
/// (state Pending); elsewhere shown: "try again when it is done".
inline constexpr ErrorCode busy{"busy"};
/// The user or shutdown cancelled the work. Stops quietly: not recorded as a failure.
inline constexpr ErrorCode cancelled{"cancelled"};

// ---- Bad data ----------------------------------------------------------------------------------
/// Data read from a server or a file is malformed (token store, Dropbox answers, journal rows,
/// a content hash mismatch). Shown; the file is skipped, nothing is overwritten.
inline constexpr ErrorCode corrupt{"corrupt"};
/// A JSON file of the vault or config does not parse or fails the schema. Shown by path; the
/// rest of the vault opens (docs/ARCHITECTURE.md, files of a vault).
inline constexpr ErrorCode corrupt_json{"corrupt_json"};
/// A file or value is over its size limit. Shown; a sync upload retries it (it grew since the scan).
inline constexpr ErrorCode too_large{"too_large"};
/// Not a valid WAV file. Shown; the take is skipped.
inline constexpr ErrorCode bad_wav{"bad_wav"};
/// A valid WAV file in a format Muze does not read or write. Shown.
inline constexpr ErrorCode unsupported_wav{"unsupported_wav"};
/// A `.recording` marker names no mix. Shown; the take is recovered without a mix.
inline constexpr ErrorCode bad_marker{"bad_marker"};
/// A cached waveform (peaks) is stale or invalid. It is rebuilt from the WAV.
inline constexpr ErrorCode stale{"stale"};
/// The sync journal (SQLite) failed or was written by a newer Muze. Shown; the run stops.
inline constexpr ErrorCode journal{"journal"};

// ---- Encryption (docs/FORMAT.md) ---------------------------------------------------------------
/// The vault is encrypted and this device holds no unlocked keys (sync::KeysState::Locked). Shown
/// as a locked vault; unlocking needs the password.
inline constexpr ErrorCode locked{"locked"};
/// The password does not open the key ring. Shown: "wrong password", asked again.
inline constexpr ErrorCode wrong_password{"wrong_password"};
/// The password is empty. Shown before any key derivation.
inline constexpr ErrorCode empty_password{"empty_password"};
/// A new password equals the current one. Shown.
inline constexpr ErrorCode same_password{"same_password"};
/// Argon2id could not run (memory, parameters, libsodium). Shown.
inline constexpr ErrorCode kdf_failed{"kdf_failed"};
/// The key ring file is damaged or has too many keys. Shown; the vault stays locked.
inline constexpr ErrorCode corrupt_keyring{"corrupt_keyring"};
/// The key ring fails its MAC: changed by someone without the password. Refused: the vault's
/// keys are untrusted (sync::KeysState::Untrusted) until KeyRing::repair rebuilds it from this
/// device's keys.
inline constexpr ErrorCode tampered_keyring{"tampered_keyring"};
/// The key ring is older than one this device has seen (a rollback). Untrusted like tampering.
inline constexpr ErrorCode keyring_rollback{"keyring_rollback"};
/// The key ring differs between this device and the remote. Sync stops and shows it.
inline constexpr ErrorCode keyring_conflict{"keyring_conflict"};
/// A key does not open (header MAC, a wrong key-encryption key). Shown; nothing is decrypted.
inline constexpr ErrorCode wrong_key{"wrong_key"};
/// The file is encrypted with a key id this device does not have. Shown: unlock or wait for sync.
inline constexpr ErrorCode unknown_key{"unknown_key"};
/// An encrypted file's header is not Muze's or has impossible values. Read as "not an encrypted
/// file"; FileCipher reports it with the path.
inline constexpr ErrorCode bad_header{"bad_header"};
/// An encrypted file or chunk is cut short. Shown; the file is not used.
inline constexpr ErrorCode truncated{"truncated"};
/// Bytes follow the end of an encrypted file. Shown; the file is not used.
inline constexpr ErrorCode trailing_data{"trailing_data"};
/// A chunk does not authenticate (modified, or from another file). Shown; the file is not used.
inline constexpr ErrorCode chunk_corrupt{"chunk_corrupt"};
/// Chunks of an encrypted file are out of order. Shown; the file is not used.
inline constexpr ErrorCode chunk_reordered{"chunk_reordered"};
/// An encrypted file belongs to another path (moved or swapped). Shown; the file is not used.
inline constexpr ErrorCode wrong_path{"wrong_path"};
/// A format version (blob, key ring, search index) newer than this Muze. Shown: update Muze.
inline constexpr ErrorCode unsupported_version{"unsupported_version"};
/// The source changed while it was encrypted. Not branched on: the sync step fails that file and
/// the next run tries it again.
inline constexpr ErrorCode source_changed{"source_changed"};
/// The encrypted search index is damaged. It is rebuilt.
inline constexpr ErrorCode corrupt_index{"corrupt_index"};
/// The vault is not encrypted but the operation needs it to be. Shown.
inline constexpr ErrorCode not_encrypted{"not_encrypted"};
/// The vault is already encrypted. Shown.
inline constexpr ErrorCode already_encrypted{"already_encrypted"};

// ---- The OS keychain ---------------------------------------------------------------------------
/// The keychain refused a token read or write. Shown; the user signs in again.
inline constexpr ErrorCode keychain{"keychain"};
/// The keychain is not available (no Secret Service, no Qt application). Shown.
inline constexpr ErrorCode keychain_unavailable{"keychain_unavailable"};
/// The keychain did not answer in time. Shown.
inline constexpr ErrorCode keychain_timeout{"keychain_timeout"};
/// The keys stored in the keychain are damaged. Shown.
inline constexpr ErrorCode corrupt_keychain_entry{"corrupt_keychain_entry"};

// ---- Devices of a vault ------------------------------------------------------------------------
/// The device to unlink is this one. Shown: unlink it from another device.
inline constexpr ErrorCode this_device{"this_device"};
/// The device is already unlinked. Shown.
inline constexpr ErrorCode already_unlinked{"already_unlinked"};

// ---- Requests the caller got wrong -------------------------------------------------------------
/// A value does not fit its field (type, range, a choice). Shown with the field.
inline constexpr ErrorCode bad_value{"bad_value"};
/// No such field, or a read-only one. Shown with the editable fields.
inline constexpr ErrorCode bad_field{"bad_field"};
/// An argument out of range in an API call (a programming error surfaced as a value). Shown.
inline constexpr ErrorCode invalid_argument{"invalid_argument"};
/// An operation that does not apply here (restore a copy of a non-mix, a writer opened twice).
/// Shown with what to do instead.
inline constexpr ErrorCode usage{"usage"};
/// A near-duplicate of `usage` from the model (remove the vault itself). Shown.
inline constexpr ErrorCode bad_usage{"bad_usage"};
/// Freeing space needs a vault that downloads takes on demand. Shown with the setting to choose.
inline constexpr ErrorCode not_on_demand{"not_on_demand"};

// ---- Audio devices and recording (src/audio) ---------------------------------------------------
/// No audio device, or several match the name given. Shown with `muze-cli devices-audio`.
inline constexpr ErrorCode no_device{"no_device"};
/// The audio device failed while playing or recording. Shown; playback or the take stops.
inline constexpr ErrorCode device_error{"device_error"};
/// The device cannot play or record the format asked. Shown.
inline constexpr ErrorCode unsupported_device_format{"unsupported_device_format"};
/// Two versions cannot be compared (different sample rates). Shown.
inline constexpr ErrorCode unsupported{"unsupported"};
/// The OS denied the microphone. Shown with where to allow it.
inline constexpr ErrorCode mic_denied{"mic_denied"};
/// The OS is asking the user for the microphone. Shown: allow it, then record again.
inline constexpr ErrorCode mic_undetermined{"mic_undetermined"};
/// Stop was asked while nothing records. Shown.
inline constexpr ErrorCode not_recording{"not_recording"};
/// Stop came while the take was still starting: it was cancelled, no file made. Not shown.
inline constexpr ErrorCode not_started{"not_started"};
/// Another app took the microphone while a take started (a call). Shown: record again after it.
inline constexpr ErrorCode interrupted{"interrupted"};
/// Play with nothing loaded: the mix has no audio yet. Shown.
inline constexpr ErrorCode empty{"empty"};
/// The folder a take is to be recorded into does not exist. Shown.
inline constexpr ErrorCode bad_path{"bad_path"};
/// The OS audio session refused to record (iOS). Shown.
inline constexpr ErrorCode audio_session{"audio_session"};

} // namespace errc
} // namespace muze
