// A list of posts or comments for the social pages (the feed, a post's thread), and the one
// way the app turns a sync::SocialPost into what QML shows: a row of named values (roles) with
// the caption as rich text whose hashtags are links ("hashtag:<name>"). Rows are replaced by
// apply(), which moves the fewest rows it can (removals, insertions, changed values), so a view
// keeps its scroll position when the list is refreshed under it. Threading: GUI thread.
#pragma once

#include "social/social.h"

#include <QAbstractListModel>
#include <QStringList>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

#include <string>
#include <vector>

namespace pinhole::app {

class PostListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("A base of FeedModel and ThreadModel")
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)

public:
    // The roles, in this order from Qt::UserRole + 1; each is also a key of toRow()'s map.
    //   postId       the server's id, or "op:<op id>" while pending
    //   authorId, authorName (display name, else username), authorHandle ("@username"),
    //   avatarUrl    image://remote/<the server's avatar URL> (remoteImageUrl)
    //   createdAt    "7 Dec 2026 16:58" in local time ("" while pending)
    //   text         the caption as written; caption: as rich text, hashtags as links
    //   hashtags     names without '#'
    //   media        image URLs, in order: image://preview/<sha> for a pending post's photo,
    //                image://remote/<the server's large derivative> otherwise ("" while the
    //                server processes it)
    //   likes, comments, likedByMe, pending, pendingLike, isMine, visibility
    static const QList<QByteArray>& roleKeys();

    explicit PostListModel(QObject* parent = nullptr) : QAbstractListModel(parent) {}

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    Q_INVOKABLE QVariantMap get(int row) const;
    Q_INVOKABLE int rowOf(const QString& postId) const;

    // The optimistic half of a like: the row shows it before the library thread has queued it.
    void showLiked(const QString& postId, bool liked);
    // The optimistic half of a delete.
    void hide(const QString& postId);
    // Re-reads from the local store (after an edit or a sync round); each model decides how.
    virtual void refresh() {}

    static QVariantMap toRow(const sync::SocialPost& post, const std::string& myId);
    // "Sunset #golden" -> "Sunset <a href=\"hashtag:golden\">#golden</a>" (escaped, line breaks kept).
    static QString captionHtml(const QString& text);
    static QStringList hashtagsIn(const QString& text);
    // "hashtag:golden" -> "golden"; "" for any other link.
    Q_INVOKABLE static QString hashtagOfLink(const QString& link);

signals:
    void countChanged();

protected:
    // Makes the rows `target` (each with a "postId"), keeping rows present in both in place.
    void apply(std::vector<QVariantMap> target);
    const std::vector<QVariantMap>& rows() const { return m_rows; }
    void append(std::vector<QVariantMap> rows);

private:
    std::vector<QVariantMap> m_rows;
};

} // namespace pinhole::app
