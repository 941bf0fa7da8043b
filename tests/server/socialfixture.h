// Shared by the social end-to-end suites: accounts with tokens, photos uploaded through the
// Mastodon media API, posts, and small waits on conditions (never on time).
#pragma once

#include "httpclient.h"
#include "serverprocess.h"

#include <QFile>
#include <QHash>
#include <QJsonDocument>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

namespace pinhole::test {

inline const QString kSocialPassword = QStringLiteral("correct horse battery staple");

class SocialFixture {
public:
    explicit SocialFixture(ServerProcess& server) : m_server(server) {}

    // Creates the account and signs in; returns its token (empty on failure).
    QString user(const QString& name) {
        if (!m_server.createUser(name, kSocialPassword))
            return {};
        HttpClient http(m_server.baseUrl());
        const QString token = http.login(name, kSocialPassword);
        HttpClient me(m_server.baseUrl(), token);
        m_ids[token] = me.get("/api/v1/accounts/verify_credentials").json()["id"].toString();
        return token;
    }
    QString idOf(const QString& token) const { return m_ids.value(token); }

    // A distinct small JPEG (made once per index with vips), uploaded and processed.
    QString photo(const QString& token) {
        const QString path = m_dir.filePath(QString("p%1.jpg").arg(m_photos++));
        QProcess vips;
        vips.start(QStandardPaths::findExecutable("vips"), {"gaussnoise", path, "120", "90"});
        if (!vips.waitForFinished(60000) || vips.exitCode() != 0)
            return {};
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return {};
        const QByteArray boundary = "pinholeboundary";
        QByteArray body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.jpg\"\r\n"
                                            "Content-Type: image/jpeg\r\n\r\n" +
                          f.readAll() + "\r\n--" + boundary + "--\r\n";
        HttpClient http(m_server.baseUrl(), token);
        const HttpReply r = http.send("POST", "/api/v1/media", body, "multipart/form-data; boundary=" + boundary);
        return r.status == 200 ? r.json()["id"].toString() : QString();
    }

    HttpReply post(const QString& token, const QString& text, const QStringList& media,
                   const QString& visibility = "public", const QString& inReplyTo = {},
                   const QByteArray& idempotencyKey = {}) {
        QJsonObject body{{"status", text}, {"visibility", visibility}, {"media_ids", QJsonArray::fromStringList(media)}};
        if (!inReplyTo.isEmpty())
            body["in_reply_to_id"] = inReplyTo;
        HttpClient http(m_server.baseUrl(), token);
        QList<QPair<QByteArray, QByteArray>> headers;
        if (!idempotencyKey.isEmpty())
            headers.append({"Idempotency-Key", idempotencyKey});
        return http.send("POST", "/api/v1/statuses", QJsonDocument(body).toJson(), "application/json", headers);
    }
    // Posts one new photo; returns the status id.
    QString photoPost(const QString& token, const QString& text, const QString& visibility = "public") {
        const QString media = photo(token);
        return post(token, text, {media}, visibility).json()["id"].toString();
    }

    HttpReply get(const QString& token, const QString& path) { return HttpClient(m_server.baseUrl(), token).get(path); }
    HttpReply postTo(const QString& token, const QString& path) {
        return HttpClient(m_server.baseUrl(), token).send("POST", path);
    }

    // The ids of a JSON array of statuses or accounts.
    static QStringList ids(const HttpReply& r) {
        QStringList out;
        for (const auto& v : r.jsonArray())
            out << v.toObject()["id"].toString();
        return out;
    }
    QStringList homeIds(const QString& token, const QString& query = "limit=40") {
        return ids(get(token, "/api/v1/timelines/home?" + query));
    }

private:
    ServerProcess& m_server;
    QTemporaryDir m_dir;
    int m_photos = 0;
    QHash<QString, QString> m_ids;
};

} // namespace pinhole::test
