// A hashtag's page (HashtagPage): the posts with the hashtag that the server shows the user,
// everyone's and not only the feed's (Social::hashtagPosts), newest first, read online on the
// library thread, more as the view scrolls. Offline it says so (`error`) and lists nothing:
// the feed's own filter by hashtag (FeedModel::hashtag) is what works from the local store.
// Threading: GUI thread; reads run on the library thread through the Session.
#pragma once

#include "session.h"
#include "social/postlistmodel.h"

#include <QPointer>

namespace pinhole::app {

class HashtagModel : public PostListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Made by App.hashtag(name)")
    Q_PROPERTY(QString hashtag READ hashtag CONSTANT)
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)

public:
    // Starts reading the first page (of `pageSize` posts).
    HashtagModel(Session* session, const QString& hashtag, int pageSize = sync::Social::kDefaultPageSize,
                 QObject* parent = nullptr);

    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;
    // For the view: the next page if there is one and none is being read.
    Q_INVOKABLE void loadMore() { fetchMore({}); }
    // From the newest again.
    Q_INVOKABLE void reload();

    QString hashtag() const { return m_hashtag; }
    bool loading() const { return m_loading; }
    QString error() const { return m_error; }

signals:
    void loadingChanged();
    void errorChanged();

private:
    void read(const std::string& cursor);
    void setLoading(bool loading);
    void setError(const QString& error);

    QPointer<Session> m_session;
    const QString m_hashtag;
    const int m_pageSize;
    std::string m_cursor; // the next (older) page; empty at the end
    bool m_loading = false;
    QString m_error;
    int m_generation = 0; // answers of a read older than the last reload are dropped
};

} // namespace pinhole::app
