// Pictures on the signed-in server (a post's photos, avatars) for image://remote/<percent-
// encoded URL>: fetched through the sync library's HTTP client with the account's token and
// pinned key (Qt's own loader sends neither, so a followers-only post's photo or anything from a
// self-signed server would not load), then decoded at the requested size. A URL that is not on
// the signed-in server is refused before any request: the token never goes anywhere else.
// Threading: fetchRemoteImage runs on the image pool; each pool thread keeps its own client.
#pragma once

#include "images/imagedecode.h"
#include "session.h"

#include <QString>
#include <QUrl>

#include <atomic>
#include <optional>

namespace pinhole::app {

// THE mapping from a server's image URL to what an Image loads: "image://remote/<the URL
// percent-encoded, ':' and '/' kept>". "" stays "" and anything but http(s) (image://preview/<sha> for a pending
// post's local photo) is returned as it is. The models' rows use it for every server picture.
QString remoteImageUrl(const QString& url);

// The URL an image://remote id stands for (the inverse of remoteImageUrl, from the id QML hands
// the provider).
QString remoteUrlOf(const QString& id);

// Whether `url` is on the server at `baseUrl`: same scheme, host and port, and under its path.
bool isOnServer(const QUrl& url, const QString& baseUrl);

// The image at `id` (image://remote's id: the percent-encoded URL), fetched as `server`'s
// account and decoded to fit `boundSide` (0: full size). Refused without a request when signed
// out or when the URL is not on `server`; an HTTP error or no answer is an error, never a wait
// beyond the client's timeouts. Not sent at all if `cancelled` is set first.
DecodedImage fetchRemoteImage(const QString& id, const std::optional<ServerAccess>& server, int boundSide,
                              const std::atomic_bool& cancelled);

} // namespace pinhole::app
