// The home feed (Social::feed), newest first, for FeedPage: pages of posts read on the library
// thread, more as the view scrolls (canFetchMore / fetchMore over the feed's cursors).
//
// New posts never move what the user is reading: refresh() (after an edit or a sync round)
// updates the rows shown in place, adds the user's own posts (pending or answered) and older
// posts, but holds back other people's posts newer than the feed's top when it was loaded; it
// counts them instead (newPosts, from Social::newPostCount). reload() — the "3 new posts" pill,
// or the page being opened — reads from the newest and marks the feed seen (markFeedSeen).
// With `hashtag` set, only posts with that hashtag are listed (a click on a hashtag).
// Threading: GUI thread; reads run on the library thread through the Session.
#pragma once

#include "session.h"
#include "social/postlistmodel.h"

#include <QPointer>

namespace pinhole::app {

class FeedModel : public PostListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The feed is App.feed")
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    // Other people's posts that arrived since the feed was (re)loaded and are not shown yet.
    Q_PROPERTY(int newPosts READ newPosts NOTIFY newPostsChanged)
    Q_PROPERTY(QString hashtag READ hashtag WRITE setHashtag NOTIFY hashtagChanged)
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)

public:
    static constexpr int kPageSize = sync::Social::kDefaultPageSize;

    explicit FeedModel(Session* session, QObject* parent = nullptr);

    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;
    // For the view: the next page if there is one and none is being read.
    Q_INVOKABLE void loadMore() { fetchMore({}); }

    Q_INVOKABLE void reload();
    void refresh() override;

    bool loading() const { return m_loading; }
    int newPosts() const { return m_newPosts; }
    QString hashtag() const { return m_hashtag; }
    void setHashtag(const QString& hashtag);
    QString error() const { return m_error; }

signals:
    void loadingChanged();
    void newPostsChanged();
    void hashtagChanged();
    void errorChanged();
    // A reload finished (the page scrolls to the top).
    void reloaded();

public:
    // What one read on the library thread brings back.
    struct Read {
        std::vector<sync::SocialPost> posts;
        std::string nextCursor;
        std::string myId;
        int newPostCount = 0;
        std::string error;
    };

private:
    enum class Mode { Reload, Refresh, More };
    void read(Mode mode, std::string cursor, int limit);
    void take(Mode mode, Read read);
    void setLoading(bool loading);

    QPointer<Session> m_session;
    std::string m_cursor;   // the next (older) page; empty at the end
    bool m_loading = false; // any read is under way (m_reads > 0)
    int m_reads = 0;
    bool m_fetching = false; // a next page is being read
    bool m_loaded = false;
    int m_generation = 0; // answers of a read older than the last reload are dropped
    qint64 m_topId = 0;   // the newest server post when the feed was reloaded
    int m_newPosts = 0;
    QString m_hashtag;
    QString m_error;
};

} // namespace pinhole::app
