#include "feedmodel.h"

#include <algorithm>

namespace pinhole::app {

namespace {

qint64 numericId(const std::string& id) {
    return QString::fromStdString(id).toLongLong(); // 0 for "op:..." (pending)
}

bool hasHashtag(const sync::SocialPost& post, const QString& tag) {
    return tag.isEmpty() || PostListModel::hashtagsIn(QString::fromStdString(post.text)).contains(tag);
}

// Reads `limit` feed posts after `cursor` (with a hashtag: pages until `limit` of them match, or
// the end). Library thread.
FeedModel::Read readFeed(sync::Engine& engine, std::string cursor, int limit, const QString& hashtag, bool markSeen) {
    FeedModel::Read out;
    auto& social = engine.social();
    if (markSeen) {
        if (auto st = social.markFeedSeen(); !st) {
            out.error = st.message();
            return out;
        }
    }
    if (auto me = social.me(); me && *me)
        out.myId = (*me)->id;
    const bool first = cursor.empty();
    for (;;) {
        auto page = social.feed(cursor, hashtag.isEmpty() ? limit : sync::Social::kDefaultPageSize);
        if (!page) {
            out.error = page.status().message();
            return out;
        }
        for (auto& post : page->posts)
            if (hasHashtag(post, hashtag))
                out.posts.push_back(std::move(post));
        cursor = page->nextCursor;
        out.nextCursor = cursor;
        if (cursor.empty() || int(out.posts.size()) >= limit)
            break;
    }
    if (first) {
        auto count = social.newPostCount();
        out.newPostCount = count ? *count : 0;
    }
    return out;
}

} // namespace

FeedModel::FeedModel(Session* session, QObject* parent) : PostListModel(parent), m_session(session) {}

bool FeedModel::canFetchMore(const QModelIndex& parent) const {
    return !parent.isValid() && m_loaded && !m_fetching && !m_cursor.empty();
}

void FeedModel::fetchMore(const QModelIndex& parent) {
    if (canFetchMore(parent))
        read(Mode::More, m_cursor, kPageSize);
}

void FeedModel::reload() {
    ++m_generation;
    read(Mode::Reload, {}, kPageSize);
}

void FeedModel::refresh() {
    // An empty feed has no reading position to keep: what arrives is shown (and seen) at once.
    if (!m_loaded || (m_topId == 0 && rowCount() == 0)) {
        reload();
        return;
    }
    // The posts shown from the server again, and a page beyond them.
    const auto shown = std::count_if(rows().begin(), rows().end(),
                                     [](const QVariantMap& r) { return !r.value(QStringLiteral("pending")).toBool(); });
    read(Mode::Refresh, {}, int(std::min<qsizetype>(shown + kPageSize, 200)));
}

void FeedModel::setHashtag(const QString& hashtag) {
    const QString tag = hashtag.trimmed().toLower().remove(QLatin1Char('#'));
    if (tag == m_hashtag)
        return;
    m_hashtag = tag;
    emit hashtagChanged();
    reload();
}

void FeedModel::read(Mode mode, std::string cursor, int limit) {
    if (!m_session)
        return;
    setLoading(true);
    if (mode == Mode::More)
        m_fetching = true;
    ++m_reads;
    const int generation = m_generation;
    m_session->call<Read>(
        [cursor = std::move(cursor), limit, hashtag = m_hashtag, mode](sync::Engine& engine) {
            return readFeed(engine, cursor, limit, hashtag, mode == Mode::Reload);
        },
        this,
        [this, mode, generation](Read r) {
            --m_reads;
            if (mode == Mode::More)
                m_fetching = false;
            if (generation != m_generation) {
                setLoading(m_reads > 0);
                return; // a reload was asked for since: its answer decides
            }
            take(mode, std::move(r));
        });
}

void FeedModel::take(Mode mode, Read r) {
    setLoading(m_reads > 0);
    const QString error = QString::fromStdString(r.error);
    if (error != m_error) {
        m_error = error;
        emit errorChanged();
    }
    if (!r.error.empty())
        return;
    std::vector<QVariantMap> target;
    int newPosts = 0;
    if (mode == Mode::More) {
        for (const auto& post : r.posts)
            if (rowOf(QString::fromStdString(post.id)) < 0)
                target.push_back(toRow(post, r.myId));
        append(std::move(target));
        m_cursor = r.nextCursor;
        return;
    }
    if (mode == Mode::Reload) {
        m_topId = 0;
        for (const auto& post : r.posts)
            m_topId = std::max(m_topId, numericId(post.id));
        for (const auto& post : r.posts)
            target.push_back(toRow(post, r.myId));
    } else {
        // Held back: others' posts newer than the top at the last reload that are not shown.
        int ownNewer = 0;
        for (const auto& post : r.posts) {
            const QString id = QString::fromStdString(post.id);
            const bool mine = !r.myId.empty() && post.author.id == r.myId;
            const bool newer = numericId(post.id) > m_topId;
            if (mine && newer && !post.pending)
                ++ownNewer;
            if (newer && !mine && !post.pending && rowOf(id) < 0)
                continue;
            target.push_back(toRow(post, r.myId));
        }
        newPosts = std::max(0, r.newPostCount - ownNewer);
        // Rows older than this read reached (the user scrolled further than it reads) stay.
        if (!r.nextCursor.empty()) {
            const qint64 oldest = numericId(r.nextCursor);
            for (const auto& row : rows())
                if (const qint64 id = row.value(QStringLiteral("postId")).toLongLong(); id > 0 && id < oldest)
                    target.push_back(row);
        }
    }
    apply(std::move(target));
    // The next page starts below the oldest post shown.
    m_cursor = r.nextCursor;
    if (!m_cursor.empty())
        for (const auto& row : rows())
            if (const qint64 id = row.value(QStringLiteral("postId")).toLongLong(); id > 0 && id < numericId(m_cursor))
                m_cursor = std::to_string(id);
    m_loaded = true;
    if (newPosts != m_newPosts) {
        m_newPosts = newPosts;
        emit newPostsChanged();
    }
    if (mode == Mode::Reload)
        emit reloaded();
}

void FeedModel::setLoading(bool loading) {
    if (loading == m_loading)
        return;
    m_loading = loading;
    emit loadingChanged();
}

} // namespace pinhole::app
