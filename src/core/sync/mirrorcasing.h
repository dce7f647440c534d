#pragma once
// Folder spellings the remote mirror knows, by the remote's lower-case key (private to
// muze_sync). Dropbox promises the casing of an entry's last path component only, and does
// not report case-only renames: an entry's folders are spelled as the device already spells
// them, so one folder never appears under two spellings.

#include <muze/sync/journal.h>

#include <QHash>
#include <QStringList>

namespace muze::sync {

class MirrorCasing {
public:
    explicit MirrorCasing(const QHash<QString, RemoteRow>& rows)
    {
        for (const RemoteRow& r : rows)
            spell(r.path, r.pathLower);
    }

    /// `path` with the folders the mirror knows spelled its way (its last component as given);
    /// folders not known yet are learnt as `path` spells them. `lower` empty: `path` as is.
    QString spell(const QString& path, const QString& lower)
    {
        if (lower.isEmpty())
            return path;
        const QStringList segs = path.split(QLatin1Char('/'));
        const QStringList lowerSegs = lower.split(QLatin1Char('/'));
        if (segs.size() != lowerSegs.size())
            return path;
        QString key, spelled;
        for (qsizetype i = 0; i + 1 < segs.size(); ++i) {
            key += (i ? QStringLiteral("/") : QString()) + lowerSegs[i];
            const auto known = m_folders.constFind(key);
            if (known != m_folders.cend()) {
                spelled = *known;
            } else {
                spelled += (i ? QStringLiteral("/") : QString()) + segs[i];
                m_folders.insert(key, spelled);
            }
        }
        return spelled.isEmpty() ? segs.last() : spelled + QLatin1Char('/') + segs.last();
    }

private:
    QHash<QString, QString> m_folders; // lower-case key → spelling
};

} // namespace muze::sync
