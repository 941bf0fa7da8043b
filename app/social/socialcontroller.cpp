#include "socialcontroller.h"

#include <QDateTime>
#include <QJSEngine>

#include <algorithm>

namespace pinhole::app {

SocialController::SocialController(Session* session, FeedModel* feed, QObject* parent)
    : QObject(parent), m_session(session), m_feed(feed),
      m_refusalsSeenUntil(std::uint64_t(QDateTime::currentMSecsSinceEpoch())) {
    connect(session, &Session::libraryChanged, this, [this] {
        for (auto* model : models())
            model->refresh();
    });
    connect(session, &Session::syncFinished, this, &SocialController::refreshAll);
}

ThreadModel* SocialController::openThread(const QString& postId, bool fromServer) {
    auto* model = new ThreadModel(m_session, fromServer);
    QJSEngine::setObjectOwnership(model, QJSEngine::JavaScriptOwnership);
    std::erase_if(m_threads, [](const QPointer<ThreadModel>& t) { return t.isNull(); });
    m_threads.emplace_back(model);
    model->setPostId(postId);
    return model;
}

HashtagModel* SocialController::openHashtag(const QString& hashtag) {
    auto* model = new HashtagModel(m_session, hashtag);
    QJSEngine::setObjectOwnership(model, QJSEngine::JavaScriptOwnership);
    std::erase_if(m_hashtags, [](const QPointer<HashtagModel>& h) { return h.isNull(); });
    m_hashtags.emplace_back(model);
    return model;
}

std::vector<PostListModel*> SocialController::models() const {
    std::vector<PostListModel*> out;
    if (m_feed)
        out.push_back(m_feed);
    for (const auto& t : m_threads)
        if (t)
            out.push_back(t);
    for (const auto& h : m_hashtags)
        if (h)
            out.push_back(h);
    return out;
}

std::optional<bool> SocialController::likedNow(const QString& postId) const {
    for (const auto& t : m_threads)
        if (t && t->postId() == postId && !t->post().isEmpty())
            return t->post().value(QStringLiteral("likedByMe")).toBool();
    for (auto* model : models())
        if (const int row = model->rowOf(postId); row >= 0)
            return model->get(row).value(QStringLiteral("likedByMe")).toBool();
    return std::nullopt;
}

void SocialController::toggleLike(const QString& postId) {
    if (const auto liked = likedNow(postId))
        setLiked(postId, !*liked);
}

void SocialController::setLiked(const QString& postId, bool liked) {
    if (!m_session || postId.startsWith(QStringLiteral("op:")))
        return; // a pending post has no server id to like yet
    for (auto* model : models())
        model->showLiked(postId, liked);
    for (const auto& t : m_threads)
        if (t)
            t->showPostLiked(postId, liked);
    m_session->edit([id = postId.toStdString(), liked](sync::Engine& engine) {
        auto op = liked ? engine.social().like(id) : engine.social().unlike(id);
        return op ? sync::Status::ok() : op.status();
    });
}

bool SocialController::comment(const QString& postId, const QString& text) {
    const QString trimmed = text.trimmed();
    if (!m_session || trimmed.isEmpty())
        return false;
    m_session->edit([id = postId.toStdString(), t = trimmed.toStdString()](sync::Engine& engine) {
        auto op = engine.social().comment(id, t);
        return op ? sync::Status::ok() : op.status();
    });
    return true;
}

void SocialController::deleteComment(const QString& commentId) {
    if (!m_session)
        return;
    for (auto* model : models())
        model->hide(commentId);
    m_session->edit([id = commentId.toStdString()](sync::Engine& engine) {
        auto op = engine.social().deleteComment(id);
        return op ? sync::Status::ok() : op.status();
    });
}

void SocialController::deletePost(const QString& postId) {
    if (!m_session)
        return;
    for (auto* model : models())
        model->hide(postId);
    m_session->edit([id = postId.toStdString()](sync::Engine& engine) {
        auto op = engine.social().deletePost(id);
        return op ? sync::Status::ok() : op.status();
    });
}

void SocialController::refreshAll() {
    for (auto* model : models())
        model->refresh();
    checkRefusals();
}

void SocialController::checkRefusals() {
    if (!m_session)
        return;
    m_session->call<std::vector<sync::Refusal>>(
        [](sync::Engine& engine) {
            auto refusals = engine.social().refusals();
            return refusals ? *refusals : std::vector<sync::Refusal>{};
        },
        this,
        [this](std::vector<sync::Refusal> refusals) {
            // Newest first: announce the new ones oldest first, so the last message is the newest.
            std::uint64_t newest = m_refusalsSeenUntil;
            for (auto it = refusals.rbegin(); it != refusals.rend(); ++it) {
                if (it->at <= m_refusalsSeenUntil)
                    continue;
                newest = std::max(newest, it->at);
                m_lastRefusal = refusalMessage(*it);
                emit refused(m_lastRefusal);
            }
            m_refusalsSeenUntil = newest;
        });
}

QString SocialController::refusalMessage(const sync::Refusal& r) {
    const QString reason = QString::fromStdString(r.reason);
    if (r.kind == "like")
        return tr("Your like was refused by the server: %1").arg(reason);
    if (r.kind == "unlike")
        return tr("Your unlike was refused by the server: %1").arg(reason);
    if (r.kind == "comment.create")
        return tr("Your comment \u201c%1\u201d was not posted: %2").arg(QString::fromStdString(r.text), reason);
    if (r.kind == "comment.delete")
        return tr("The comment could not be deleted: %1").arg(reason);
    if (r.kind == "post.create")
        return tr("Your post was not published: %1").arg(reason);
    if (r.kind == "post.delete")
        return tr("The post could not be deleted: %1").arg(reason);
    return tr("The server refused %1: %2").arg(QString::fromStdString(r.kind), reason);
}

} // namespace pinhole::app
