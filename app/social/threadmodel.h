// One post and its comments (Social::thread) for PostPage: the post as `post` (the same keys as
// the feed's roles), the comments as rows, oldest first, the user's pending ones last.
// refresh() re-reads in place (after an edit or a sync round). A post deleted meanwhile (here or
// on the server) leaves `post` empty and `gone` true. With `fromServer` (a post opened from a
// hashtag's page, mostly not in the local store, or held there without its comments), the post
// is read from the server (Social::threadOnline), and offline from the local store; when neither
// can, `error` says so. Once the server could not be reached, re-reads stay local until the page
// is opened again. Threading: GUI thread; reads
// run on the library thread through the Session.
#pragma once

#include "session.h"
#include "social/postlistmodel.h"

#include <QPointer>

namespace pinhole::app {

class ThreadModel : public PostListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Made by App.social.openThread(postId)")
    Q_PROPERTY(QString postId READ postId WRITE setPostId NOTIFY postIdChanged)
    Q_PROPERTY(QVariantMap post READ post NOTIFY postChanged)
    // The first read has not answered yet.
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    Q_PROPERTY(bool gone READ gone NOTIFY postChanged)
    // Why the post cannot be shown now ("" when it is shown, loading or gone).
    Q_PROPERTY(QString error READ error NOTIFY postChanged)

public:
    explicit ThreadModel(Session* session, bool fromServer = false, QObject* parent = nullptr);

    QString postId() const { return m_postId; }
    void setPostId(const QString& postId);
    QVariantMap post() const { return m_post; }
    bool loading() const { return m_loading; }
    bool gone() const { return m_gone; }
    QString error() const { return m_error; }
    void refresh() override;

    // The optimistic like of the post itself (its comments are rows, see showLiked).
    void showPostLiked(const QString& postId, bool liked);

signals:
    void postIdChanged();
    void postChanged();
    void loadingChanged();

private:
    QPointer<Session> m_session;
    const bool m_fromServer;
    QString m_postId;
    QVariantMap m_post;
    bool m_loading = false;
    bool m_gone = false;
    QString m_error;
    // With fromServer: false once the server could not be reached; re-reads (after each sync
    // round) then read the local store only, so a dead network is waited on once, not per round.
    bool m_serverAnswered = true;
};

} // namespace pinhole::app
