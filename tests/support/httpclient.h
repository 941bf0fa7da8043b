// A small synchronous HTTP client for tests, on QNetworkAccessManager: each call runs a local
// event loop until the reply finishes (no sleeps). Accepts self-signed certificates only when
// told their SHA-256 fingerprint.
#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QPair>
#include <QString>
#include <QUrlQuery>

namespace pinhole::test {

struct HttpReply {
    int status = 0; // 0: no HTTP answer (connection failed)
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    QString networkError;

    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QJsonArray jsonArray() const { return QJsonDocument::fromJson(body).array(); }
    QByteArray header(const QByteArray& name) const;
};

class HttpClient {
public:
    explicit HttpClient(QString baseUrl, QString token = {});

    void setToken(const QString& token) { m_token = token; }
    // Trust a self-signed certificate whose SHA-256 fingerprint ("AB:CD:...") matches.
    void pinCertificate(const QString& fingerprint) { m_pinned = fingerprint; }

    HttpReply get(const QString& path);
    HttpReply postJson(const QString& path, const QJsonObject& body);
    HttpReply postForm(const QString& path, const QUrlQuery& form);
    HttpReply patchJson(const QString& path, const QJsonObject& body);
    HttpReply send(const QByteArray& method, const QString& path, const QByteArray& body = {},
                   const QByteArray& contentType = {}, const QList<QPair<QByteArray, QByteArray>>& headers = {});

    // Registers an app, then signs in with the password grant; returns the access token.
    QString login(const QString& username, const QString& password, const QString& scopes = "read write follow");
    // The last app registered by login(): client_id and client_secret.
    QJsonObject app() const { return m_app; }

private:
    QString m_base;
    QString m_token;
    QString m_pinned;
    QJsonObject m_app;
    QNetworkAccessManager m_nam;
};

} // namespace pinhole::test
