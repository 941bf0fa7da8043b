#include "social/hashtagmodel.h"

namespace pinhole::app {

namespace {
// What one read on the library thread brings back.
struct Read {
    std::vector<sync::SocialPost> posts;
    std::string nextCursor;
    std::string myId;
    QString error;
};
} // namespace

HashtagModel::HashtagModel(Session* session, const QString& hashtag, int pageSize, QObject* parent)
    : PostListModel(parent), m_session(session), m_hashtag(hashtag), m_pageSize(pageSize) {
    reload();
}

bool HashtagModel::canFetchMore(const QModelIndex& parent) const {
    return !parent.isValid() && !m_loading && !m_cursor.empty();
}

void HashtagModel::fetchMore(const QModelIndex& parent) {
    if (canFetchMore(parent))
        read(m_cursor);
}

void HashtagModel::reload() {
    ++m_generation;
    m_cursor.clear();
    read({});
}

void HashtagModel::read(const std::string& cursor) {
    if (!m_session)
        return;
    setLoading(true);
    m_session->call<Read>(
        [cursor, hashtag = m_hashtag.toStdString(), limit = m_pageSize](sync::Engine& engine) {
            Read out;
            auto page = engine.social().hashtagPosts(hashtag, cursor, limit);
            if (!page) {
                out.error = page.status().code() == sync::Code::Unavailable
                                ? tr("Posts with a hashtag come from the server, which cannot be reached now.")
                                : QString::fromStdString(page.status().message());
                return out;
            }
            out.posts = std::move(page->posts);
            out.nextCursor = std::move(page->nextCursor);
            if (auto me = engine.social().me(); me && *me)
                out.myId = (*me)->id;
            return out;
        },
        this,
        [this, first = cursor.empty(), generation = m_generation](Read r) {
            if (generation != m_generation)
                return; // a reload was asked for since: its answer decides
            setLoading(false);
            setError(r.error);
            if (!r.error.isEmpty())
                return;
            m_cursor = std::move(r.nextCursor);
            std::vector<QVariantMap> rows;
            for (const auto& post : r.posts)
                if (first || rowOf(QString::fromStdString(post.id)) < 0)
                    rows.push_back(toRow(post, r.myId));
            if (first)
                apply(std::move(rows));
            else
                append(std::move(rows));
        });
}

void HashtagModel::setLoading(bool loading) {
    if (loading == m_loading)
        return;
    m_loading = loading;
    emit loadingChanged();
}

void HashtagModel::setError(const QString& error) {
    if (error == m_error)
        return;
    m_error = error;
    emit errorChanged();
}

} // namespace pinhole::app
