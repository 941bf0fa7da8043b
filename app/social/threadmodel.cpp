#include "threadmodel.h"

#include <algorithm>

namespace pinhole::app {

namespace {

struct ThreadRead {
    std::optional<sync::PostThread> thread; // none (and no error): deleted
    std::string myId;
    std::string error;
    QString unavailable;            // not in the local store, and the server cannot be reached
    bool serverUnreachable = false; // an online read found the server unreachable
};

} // namespace

ThreadModel::ThreadModel(Session* session, bool fromServer, QObject* parent)
    : PostListModel(parent), m_session(session), m_fromServer(fromServer) {}

void ThreadModel::setPostId(const QString& postId) {
    if (postId == m_postId)
        return;
    m_postId = postId;
    emit postIdChanged();
    apply({});
    m_post.clear();
    m_gone = false;
    m_serverAnswered = true;
    emit postChanged();
    refresh();
}

void ThreadModel::refresh() {
    if (!m_session || m_postId.isEmpty())
        return;
    // Only the first read shows as loading; a re-read keeps what is shown until it answers.
    if (m_post.isEmpty() && !m_gone && !m_loading) {
        m_loading = true;
        emit loadingChanged();
    }
    m_session->call<ThreadRead>(
        [id = m_postId.toStdString(), fromServer = m_fromServer && m_serverAnswered](sync::Engine& engine) {
            ThreadRead out;
            if (auto me = engine.social().me(); me && *me)
                out.myId = (*me)->id;
            // From the server first when asked (the local store may hold the post without its
            // comments, as for a post the user liked); from the local store when offline.
            auto thread = fromServer && !id.starts_with("op:") ? engine.social().threadOnline(id)
                                                               : engine.social().thread(id);
            if (!thread && thread.status().code() == sync::Code::Unavailable) {
                out.serverUnreachable = fromServer;
                if (auto local = engine.social().thread(id))
                    thread = std::move(local);
            }
            if (thread)
                out.thread = std::move(*thread);
            else if (thread.status().code() == sync::Code::Unavailable)
                out.unavailable = tr("This post is not stored on this computer, and the server cannot be reached.");
            else if (thread.status().code() != sync::Code::NotFound)
                out.error = thread.status().message();
            return out;
        },
        this,
        [this, asked = m_postId](ThreadRead r) {
            if (asked != m_postId)
                return;
            if (m_loading) {
                m_loading = false;
                emit loadingChanged();
            }
            if (!r.error.empty())
                return; // a failed read changes nothing on screen; the next refresh tries again
            if (r.serverUnreachable)
                m_serverAnswered = false; // re-reads stay local: one wait on a dead network is enough
            if (!r.unavailable.isEmpty()) {
                if (m_post.isEmpty() && r.unavailable != m_error) {
                    m_error = r.unavailable; // what is shown stays; only an empty page says why
                    emit postChanged();
                }
                return;
            }
            m_error.clear();
            if (!r.thread) {
                m_post.clear();
                m_gone = true;
                apply({});
                emit postChanged();
                return;
            }
            std::vector<QVariantMap> comments;
            for (const auto& c : r.thread->comments)
                comments.push_back(toRow(c, r.myId));
            apply(std::move(comments));
            const QVariantMap post = toRow(r.thread->post, r.myId);
            if (post != m_post || m_gone) {
                m_post = post;
                m_gone = false;
                emit postChanged();
            }
        });
}

void ThreadModel::showPostLiked(const QString& postId, bool liked) {
    if (postId != m_postId || m_post.isEmpty() || m_post.value(QStringLiteral("likedByMe")).toBool() == liked)
        return;
    m_post[QStringLiteral("likedByMe")] = liked;
    m_post[QStringLiteral("likes")] =
        std::max<qint64>(0, m_post.value(QStringLiteral("likes")).toLongLong() + (liked ? 1 : -1));
    m_post[QStringLiteral("pendingLike")] = true;
    emit postChanged();
}

} // namespace pinhole::app
