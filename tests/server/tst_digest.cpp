// SHA-256 (core/digest.h): the published test vectors, files spanning read blocks, and
// incremental hashing equal to one-shot hashing; checked against Qt's independent SHA-256.
#include "core/digest.h"

#include <QCryptographicHash>
#include <QTemporaryDir>
#include <QTest>

#include <fstream>
#include <random>

using namespace pinhole::server;

namespace {
std::string qtHex(const std::string& bytes) {
    return QCryptographicHash::hash(QByteArray::fromStdString(bytes), QCryptographicHash::Sha256).toHex().toStdString();
}

std::string randomBytes(std::size_t n) {
    std::mt19937 rng(42);
    std::string out(n, '\0');
    for (auto& c : out)
        c = static_cast<char>(rng());
    return out;
}
} // namespace

class TestDigest : public QObject {
    Q_OBJECT
private slots:
    void publishedVectors() {
        // FIPS 180-2, appendix B.
        QCOMPARE(sha256Hex("abc"), std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        QCOMPARE(sha256Hex(""), std::string("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
        QCOMPARE(sha256("abc").size(), std::size_t(32));
    }

    void incrementalEqualsOneShot() {
        const std::string data = randomBytes(100'003);
        Sha256 hash;
        for (std::size_t at = 0; at < data.size(); at += 4093)
            hash.update(std::string_view(data).substr(at, 4093));
        QCOMPARE(hash.hex(), qtHex(data));
        QCOMPARE(toHex(sha256(data)), qtHex(data));
    }

    void fileSpanningSeveralReadBlocks() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("blob").toStdString();
        const std::string data = randomBytes((3 << 20) + 17); // 3 MiB + 17: three full blocks and a tail
        std::ofstream(path, std::ios::binary).write(data.data(), static_cast<std::streamsize>(data.size()));
        auto hex = sha256OfFile(path);
        QVERIFY(hex);
        QCOMPARE(*hex, qtHex(data));
        QVERIFY(isSha256Hex(*hex));
    }

    void missingFileIsNotFound() {
        auto hex = sha256OfFile("/nonexistent/pinhole-digest-test");
        QVERIFY(!hex);
        QCOMPARE(hex.status().code(), Code::NotFound);
    }

    void hexIsLowerCaseAndExactlySixtyFourDigits() {
        QVERIFY(isSha256Hex(std::string(64, 'a')));
        QVERIFY(!isSha256Hex(std::string(64, 'A')));
        QVERIFY(!isSha256Hex(std::string(63, 'a')));
        QVERIFY(!isSha256Hex(std::string(63, 'a') + "g"));
    }
};

QTEST_GUILESS_MAIN(TestDigest)
#include "tst_digest.moc"
