// One account as the people pages show it (a row of a list, a notification's sender, a search
// hit), converted from the sync library's struct on the library thread.
#pragma once

#include "images/remoteimage.h"
#include "social/social.h"

#include <QString>
#include <QUrl>

namespace pinhole::app {

struct Person {
    QString id;
    QString username;
    QString displayName; // the username when the account has none
    QUrl avatar;
    QString bio;
    bool locked = false;
};

inline Person personOf(const sync::SocialAccount& a) {
    Person p;
    p.id = QString::fromStdString(a.id);
    p.username = QString::fromStdString(a.username);
    p.displayName = a.displayName.empty() ? p.username : QString::fromStdString(a.displayName);
    p.avatar = QUrl(remoteImageUrl(QString::fromStdString(a.avatarUrl))); // token and pinned key
    p.bio = QString::fromStdString(a.note);
    p.locked = a.locked;
    return p;
}

} // namespace pinhole::app
