// The user's social actions from the feed and post pages — like / unlike, comment, delete own
// post or comment — and what keeps those pages current. An action shows at once (the models
// change before the library thread has queued it: optimistic), is queued in the outbox through
// Session::edit (Social's actions; never on the GUI thread) and sent by the next sync round.
// The models re-read on Session::libraryChanged and syncFinished, which brings the server's
// answer: an applied action stays; a refused one is no longer laid over by Social, so the
// re-read shows it reverted, and refused(message) tells the user why (Social::refusals).
// Threading: GUI thread.
#pragma once

#include "session.h"
#include "social/feedmodel.h"
#include "social/hashtagmodel.h"
#include "social/threadmodel.h"

#include <QObject>
#include <QPointer>
#include <QtQml/qqmlregistration.h>

#include <vector>

namespace pinhole::app {

class SocialController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The social actions are App.social")
    // The last refusal's message ("" if none since the app started).
    Q_PROPERTY(QString lastRefusal READ lastRefusal NOTIFY refused)

public:
    SocialController(Session* session, FeedModel* feed, QObject* parent = nullptr);

    // A post's page model (QML owns it); kept current like the feed. `fromServer`: read the post
    // from the server when the local store does not hold it (ThreadModel).
    Q_INVOKABLE pinhole::app::ThreadModel* openThread(const QString& postId, bool fromServer = false);
    // A hashtag's page model (QML owns it); its rows show a like at once, as the feed's do.
    Q_INVOKABLE pinhole::app::HashtagModel* openHashtag(const QString& hashtag);

    Q_INVOKABLE void toggleLike(const QString& postId);
    Q_INVOKABLE void setLiked(const QString& postId, bool liked);
    // False (and nothing queued) for an empty comment.
    Q_INVOKABLE bool comment(const QString& postId, const QString& text);
    Q_INVOKABLE void deleteComment(const QString& commentId);
    Q_INVOKABLE void deletePost(const QString& postId);

    QString lastRefusal() const { return m_lastRefusal; }
    // Re-reads every model and announces refusals made since the last look (after a round).
    void refreshAll();
    // The message shown for a refused action.
    static QString refusalMessage(const sync::Refusal& refusal);

signals:
    void refused(const QString& message);

private:
    std::vector<PostListModel*> models() const;
    std::optional<bool> likedNow(const QString& postId) const;
    void checkRefusals();

    QPointer<Session> m_session;
    QPointer<FeedModel> m_feed;
    std::vector<QPointer<ThreadModel>> m_threads;
    std::vector<QPointer<HashtagModel>> m_hashtags;
    std::uint64_t m_refusalsSeenUntil; // Unix ms: refusals up to it were announced (or predate the app)
    QString m_lastRefusal;
};

} // namespace pinhole::app
