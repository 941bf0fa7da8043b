#include "images/remoteimage.h"

#include "net/http.h"

#include <memory>

namespace pinhole::app {

namespace {

int defaultPort(const QUrl& url) {
    return url.port(url.scheme() == QLatin1String("https") ? 443 : 80);
}

// One client per pool thread, so its connection is reused from one image to the next; made
// again when the account (server, token or pin) changes.
sync::net::HttpClient& clientFor(const ServerAccess& server) {
    thread_local std::optional<ServerAccess> madeFor;
    thread_local std::unique_ptr<sync::net::HttpClient> client;
    if (!client || madeFor != server) {
        client = std::make_unique<sync::net::HttpClient>();
        client->setBearer(server.token);
        client->setTls({server.pinnedKey});
        // A picture is not worth waiting for as long as a sync is: the delegate shows its
        // placeholder soon instead.
        client->setTimeouts(5'000, 10);
        madeFor = server;
    }
    return *client;
}

} // namespace

QString remoteImageUrl(const QString& url) {
    if (!url.startsWith(QLatin1String("http://")) && !url.startsWith(QLatin1String("https://")))
        return url;
    // ':' and '/' stay readable ("image://remote/https://host/media/1/large"); '?', '#' and '%'
    // are encoded so that the whole URL is the image's path.
    return QStringLiteral("image://remote/") + QString::fromLatin1(QUrl::toPercentEncoding(url, ":/"));
}

QString remoteUrlOf(const QString& id) {
    // QML hands the id over partly decoded (QUrl's pretty form: UTF-8 sequences become
    // characters), so decode what is left as UTF-8.
    return QUrl::fromPercentEncoding(id.toUtf8());
}

bool isOnServer(const QUrl& url, const QString& baseUrl) {
    const QUrl base(baseUrl);
    if (!url.isValid() || !base.isValid() || !url.userInfo().isEmpty())
        return false;
    const QString prefix = base.path().endsWith(QLatin1Char('/')) ? base.path() : base.path() + QLatin1Char('/');
    return url.scheme() == base.scheme() && url.host() == base.host() && defaultPort(url) == defaultPort(base) &&
           url.adjusted(QUrl::NormalizePathSegments).path().startsWith(prefix);
}

DecodedImage fetchRemoteImage(const QString& id, const std::optional<ServerAccess>& server, int boundSide,
                              const std::atomic_bool& cancelled) {
    const QString url = remoteUrlOf(id);
    if (!server)
        return {{}, QStringLiteral("%1: not signed in").arg(url)};
    if (!isOnServer(QUrl(url), QString::fromStdString(server->baseUrl)))
        return {{}, QStringLiteral("%1: not on the signed-in server, not fetched").arg(url)};
    if (cancelled)
        return {{}, QStringLiteral("cancelled")};
    auto response = clientFor(*server).send({"GET", url.toStdString(), {}, {}});
    if (!response)
        return {{}, QStringLiteral("%1: %2").arg(url, QString::fromStdString(response.status().message()))};
    if (response->status != 200)
        return {{}, QStringLiteral("%1: HTTP %2").arg(url).arg(response->status)};
    return decodeUpright(QByteArray::fromStdString(response->body), url, boundSide, DecodeBound::Fit);
}

} // namespace pinhole::app
