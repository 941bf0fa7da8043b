#include "httpclient.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QEventLoop>
#include <QNetworkReply>
#include <QSslError>
#include <QTimer>

namespace pinhole::test {

QByteArray HttpReply::header(const QByteArray& name) const {
    for (const auto& [k, v] : headers)
        if (k.compare(name, Qt::CaseInsensitive) == 0)
            return v;
    return {};
}

HttpClient::HttpClient(QString baseUrl, QString token) : m_base(std::move(baseUrl)), m_token(std::move(token)) {}

HttpReply HttpClient::send(const QByteArray& method, const QString& path, const QByteArray& body,
                           const QByteArray& contentType, const QList<QPair<QByteArray, QByteArray>>& headers) {
    QNetworkRequest request(QUrl(m_base + path));
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setTransferTimeout(120000);
    if (!contentType.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    if (!m_token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
    for (const auto& [k, v] : headers)
        request.setRawHeader(k, v);
    QBuffer* buffer = new QBuffer;
    buffer->setData(body);
    QNetworkReply* reply = m_nam.sendCustomRequest(request, method, buffer);
    buffer->setParent(reply);
    if (!m_pinned.isEmpty()) {
        QObject::connect(reply, &QNetworkReply::sslErrors, reply, [reply, pinned = m_pinned](const QList<QSslError>&) {
            const QByteArray digest = reply->sslConfiguration().peerCertificate().digest(QCryptographicHash::Sha256);
            if (digest.toHex(':').toUpper() == pinned.toUtf8())
                reply->ignoreSslErrors();
        });
    }
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    if (!reply->isFinished())
        loop.exec();
    HttpReply out;
    out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    out.body = reply->readAll();
    for (const auto& pair : reply->rawHeaderPairs())
        out.headers.append(pair);
    if (reply->error() != QNetworkReply::NoError)
        out.networkError = reply->errorString();
    reply->deleteLater();
    return out;
}

HttpReply HttpClient::get(const QString& path) {
    return send("GET", path);
}

HttpReply HttpClient::postJson(const QString& path, const QJsonObject& body) {
    return send("POST", path, QJsonDocument(body).toJson(QJsonDocument::Compact), "application/json");
}

HttpReply HttpClient::postForm(const QString& path, const QUrlQuery& form) {
    return send("POST", path, form.toString(QUrl::FullyEncoded).toUtf8(), "application/x-www-form-urlencoded");
}

HttpReply HttpClient::patchJson(const QString& path, const QJsonObject& body) {
    return send("PATCH", path, QJsonDocument(body).toJson(QJsonDocument::Compact), "application/json");
}

QString HttpClient::login(const QString& username, const QString& password, const QString& scopes) {
    const QString saved = m_token;
    m_token.clear();
    const HttpReply app = postJson(
        "/api/v1/apps",
        {{"client_name", "pinhole tests"}, {"redirect_uris", "urn:ietf:wg:oauth:2.0:oob"}, {"scopes", scopes}});
    m_app = app.json();
    const HttpReply token = postJson("/oauth/token", {{"grant_type", "password"},
                                                      {"client_id", m_app["client_id"].toString()},
                                                      {"client_secret", m_app["client_secret"].toString()},
                                                      {"username", username},
                                                      {"password", password},
                                                      {"scope", scopes}});
    m_token = saved;
    return token.json()["access_token"].toString();
}

} // namespace pinhole::test
