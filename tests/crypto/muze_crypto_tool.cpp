// muze_crypto_tool: a small command line over muze_crypto for tests/crypto/interop.py.
//   keyring-create --password-file F --out KEYRING [--kdf minimum|interactive|moderate]
//   keyring-rotate --keyring K --password-file F      (adds a new active key, saves K)
//   encrypt --keyring K --password-file F --path REL [--chunk N] IN OUT
//   decrypt --keyring K --password-file F --path REL IN OUT
//   token   --keyring K --password-file F WORD...
// Errors: exit 1, "error CODE: message" on stderr.
#include <muze/crypto/filecipher.h>
#include <muze/crypto/keyring.h>
#include <muze/crypto/searchindex.h>
#include <muze/util/fileio.h>

#include <QCoreApplication>
#include <QTextStream>

#include <memory>

using namespace muze;
using namespace muze::crypto;

namespace {

QString take(QStringList& args, const QString& name, const QString& fallback = {})
{
    const qsizetype i = args.indexOf(name);
    if (i < 0 || i + 1 >= args.size())
        return fallback;
    const QString value = args.at(i + 1);
    args.remove(i, 2);
    return value;
}

int fail(const Error& e)
{
    QTextStream(stderr) << "error " << e.code << ": " << e.message << Qt::endl;
    return 1;
}

Result<QByteArray> readPassword(const QString& file)
{
    auto pw = readFileLimited(file, 4096);
    if (pw && pw->endsWith('\n'))
        pw->chop(1);
    return pw;
}

Result<std::shared_ptr<UnlockedKeys>> unlock(QStringList& args)
{
    auto pw = readPassword(take(args, QStringLiteral("--password-file")));
    if (!pw)
        return pw.error();
    auto ring = KeyRing::load(take(args, QStringLiteral("--keyring")));
    if (!ring)
        return ring.error();
    if (Status s = ring->unlock(*pw); !s)
        return s.error();
    auto keys = ring->unlockedKeys();
    if (!keys)
        return keys.error();
    return std::make_shared<UnlockedKeys>(std::move(keys.value()));
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments().mid(1);
    if (args.isEmpty()) {
        QTextStream(stderr) << "usage: muze_crypto_tool keyring-create|keyring-rotate|encrypt|decrypt|token ..." << Qt::endl;
        return 2;
    }
    const QString command = args.takeFirst();
    if (command == QLatin1String("keyring-create")) {
        auto pw = readPassword(take(args, QStringLiteral("--password-file")));
        if (!pw)
            return fail(pw.error());
        const QString kdf = take(args, QStringLiteral("--kdf"), QStringLiteral("moderate"));
        const KdfParams params = kdf == QLatin1String("minimum")       ? KdfParams::minimum()
                                 : kdf == QLatin1String("interactive") ? KdfParams::interactive()
                                                                       : KdfParams::moderate();
        auto ring = KeyRing::create(*pw, params);
        if (!ring)
            return fail(ring.error());
        if (Status s = ring->save(take(args, QStringLiteral("--out"))); !s)
            return fail(s.error());
        return 0;
    }
    if (command == QLatin1String("keyring-rotate")) {
        auto pw = readPassword(take(args, QStringLiteral("--password-file")));
        if (!pw)
            return fail(pw.error());
        const QString path = take(args, QStringLiteral("--keyring"));
        auto ring = KeyRing::load(path);
        if (!ring)
            return fail(ring.error());
        if (Status s = ring->unlock(*pw); !s)
            return fail(s.error());
        if (auto id = ring->rotate(); !id)
            return fail(id.error());
        if (Status s = ring->save(path); !s)
            return fail(s.error());
        return 0;
    }
    auto keys = unlock(args);
    if (!keys)
        return fail(keys.error());
    const QString path = take(args, QStringLiteral("--path"));
    const quint32 chunk = take(args, QStringLiteral("--chunk"), QString::number(kDefaultChunkSize)).toUInt();
    const FileCipher cipher(*keys, CipherOptions{chunk, 0});
    if (command == QLatin1String("token")) {
        auto index = SearchIndex::create(**keys);
        if (!index)
            return fail(index.error());
        QTextStream out(stdout);
        for (const QString& word : args)
            out << index->token(word) << '\n';
        return 0;
    }
    if (args.size() != 2) {
        QTextStream(stderr) << "usage: muze_crypto_tool " << command << " ... IN OUT" << Qt::endl;
        return 2;
    }
    Status s = command == QLatin1String("encrypt")   ? cipher.encryptFile(args[0], args[1], path)
               : command == QLatin1String("decrypt") ? cipher.decryptFile(args[0], args[1], path)
                                                     : Status(makeError(QStringLiteral("unknown command"), QStringLiteral("usage")));
    return s ? 0 : fail(s.error());
}
