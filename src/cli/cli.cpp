#include "cli.h"

#include <muze/util/fileio.h>

namespace muze::cli {

Result<QByteArray> readPasswordFile(const QString& path)
{
    constexpr qint64 kMaxPasswordFileBytes = 4096;
    auto pw = readFileLimited(path, kMaxPasswordFileBytes);
    if (!pw)
        return pw.error();
    if (pw->endsWith('\n'))
        pw->chop(1);
    if (pw->isEmpty())
        return makeError(QStringLiteral("the password file %1 is empty").arg(path), errc::empty_password);
    return pw;
}

Result<vault::VaultRecord> Context::targetVault() const
{
    if (!vaultRef.isEmpty())
        return vaults.resolve(vaultRef);
    if (auto current = vaults.current())
        return *current;
    return makeError(
        QStringLiteral("no vault yet: create one with `muze-cli vault create NAME --provider local --path DIR`"),
        errc::not_found);
}

int Context::fail(const QString& message) const
{
    QString line = message;
    line.replace(QLatin1Char('\n'), QLatin1Char(' '));
    err << "muze-cli: error: " << line << Qt::endl;
    return ExitUserError;
}

int Context::usage(const QString& message) const
{
    err << "muze-cli: usage: " << message << Qt::endl;
    return ExitUsage;
}

void Context::printJson(const Json& doc) const
{
    out << QString::fromUtf8(dumpJson(doc));
    out.flush();
}

QString Args::take(const QString& name, const QString& fallback)
{
    const qsizetype i = m_args.indexOf(name);
    if (i < 0)
        return fallback;
    if (i + 1 >= m_args.size()) {
        m_missingValue = true;
        m_args.removeAt(i);
        return fallback;
    }
    const QString value = m_args.at(i + 1);
    m_args.remove(i, 2);
    return value;
}

bool Args::takeFlag(const QString& name)
{
    const qsizetype i = m_args.indexOf(name);
    if (i < 0)
        return false;
    m_args.removeAt(i);
    return true;
}

QString Args::firstUnknownOption() const
{
    for (const QString& a : m_args) {
        if (a.startsWith(QLatin1String("--")))
            return a;
    }
    return {};
}

} // namespace muze::cli
