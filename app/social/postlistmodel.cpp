#include "postlistmodel.h"

#include "images/remoteimage.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>

namespace pinhole::app {

namespace {

// A hashtag as the server recognises one: '#' then letters, digits or underscores, not inside a
// word (so "a#b" and URLs' fragments are not tags).
const QRegularExpression& hashtagPattern() {
    static const QRegularExpression re(QStringLiteral("(^|[^\\w&])#(\\w+)"),
                                       QRegularExpression::UseUnicodePropertiesOption);
    return re;
}

QString shownTime(const std::string& iso) {
    if (iso.empty())
        return {};
    const QDateTime t = QDateTime::fromString(QString::fromStdString(iso), Qt::ISODateWithMs);
    return t.isValid() ? t.toLocalTime().toString(QStringLiteral("d MMM yyyy HH:mm")) : QString::fromStdString(iso);
}

QString mediaUrl(const sync::SocialMedia& m) {
    if (!m.sha256.empty())
        return QStringLiteral("image://preview/") + QString::fromStdString(m.sha256);
    return remoteImageUrl(QString::fromStdString(m.url.empty() ? m.previewUrl : m.url));
}

} // namespace

const QList<QByteArray>& PostListModel::roleKeys() {
    static const QList<QByteArray> keys{"postId",    "authorId",  "authorName", "authorHandle", "avatarUrl",
                                        "createdAt", "text",      "caption",    "hashtags",     "media",
                                        "likes",     "comments",  "likedByMe",  "pending",      "pendingLike",
                                        "isMine",    "visibility"};
    return keys;
}

int PostListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant PostListModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int key = role - Qt::UserRole - 1;
    if (key < 0 || key >= roleKeys().size())
        return {};
    return m_rows[std::size_t(index.row())].value(QString::fromLatin1(roleKeys()[key]));
}

QHash<int, QByteArray> PostListModel::roleNames() const {
    QHash<int, QByteArray> names;
    for (int i = 0; i < roleKeys().size(); ++i)
        names.insert(Qt::UserRole + 1 + i, roleKeys()[i]);
    return names;
}

QVariantMap PostListModel::get(int row) const {
    return row >= 0 && row < rowCount() ? m_rows[std::size_t(row)] : QVariantMap();
}

int PostListModel::rowOf(const QString& postId) const {
    for (std::size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].value(QStringLiteral("postId")).toString() == postId)
            return int(i);
    return -1;
}

void PostListModel::showLiked(const QString& postId, bool liked) {
    const int row = rowOf(postId);
    if (row < 0)
        return;
    QVariantMap& r = m_rows[std::size_t(row)];
    if (r.value(QStringLiteral("likedByMe")).toBool() == liked)
        return;
    r[QStringLiteral("likedByMe")] = liked;
    r[QStringLiteral("likes")] = std::max<qint64>(0, r.value(QStringLiteral("likes")).toLongLong() + (liked ? 1 : -1));
    r[QStringLiteral("pendingLike")] = true;
    emit dataChanged(index(row), index(row));
}

void PostListModel::hide(const QString& postId) {
    const int row = rowOf(postId);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_rows.erase(m_rows.begin() + row);
    endRemoveRows();
    emit countChanged();
}

QVariantMap PostListModel::toRow(const sync::SocialPost& post, const std::string& myId) {
    QVariantList media;
    for (const auto& m : post.media)
        media << mediaUrl(m);
    const QString text = QString::fromStdString(post.text);
    const QString name =
        QString::fromStdString(post.author.displayName.empty() ? post.author.username : post.author.displayName);
    return {{QStringLiteral("postId"), QString::fromStdString(post.id)},
            {QStringLiteral("authorId"), QString::fromStdString(post.author.id)},
            {QStringLiteral("authorName"), name},
            {QStringLiteral("authorHandle"), QStringLiteral("@") + QString::fromStdString(post.author.username)},
            {QStringLiteral("avatarUrl"), remoteImageUrl(QString::fromStdString(post.author.avatarUrl))},
            {QStringLiteral("createdAt"), shownTime(post.createdAt)},
            {QStringLiteral("text"), text},
            {QStringLiteral("caption"), captionHtml(text)},
            {QStringLiteral("hashtags"), hashtagsIn(text)},
            {QStringLiteral("media"), media},
            {QStringLiteral("likes"), qint64(post.likes)},
            {QStringLiteral("comments"), qint64(post.comments)},
            {QStringLiteral("likedByMe"), post.likedByMe},
            {QStringLiteral("pending"), post.pending},
            {QStringLiteral("pendingLike"), post.pendingLike},
            // A pending post or comment is always the user's (only the user's ops are queued here).
            {QStringLiteral("isMine"), post.pending || (!myId.empty() && post.author.id == myId)},
            {QStringLiteral("visibility"), QString::fromStdString(post.visibility)}};
}

QString PostListModel::captionHtml(const QString& text) {
    QString html;
    qsizetype last = 0;
    auto it = hashtagPattern().globalMatch(text);
    while (it.hasNext()) {
        const auto m = it.next();
        const qsizetype hash = m.capturedStart(2) - 1;
        html += text.mid(last, hash - last).toHtmlEscaped();
        const QString tag = m.captured(2);
        html += QStringLiteral("<a href=\"hashtag:%1\">#%2</a>").arg(tag.toLower(), tag.toHtmlEscaped());
        last = m.capturedEnd(2);
    }
    html += text.mid(last).toHtmlEscaped();
    return html.replace(QLatin1Char('\n'), QStringLiteral("<br>"));
}

QStringList PostListModel::hashtagsIn(const QString& text) {
    QStringList tags;
    auto it = hashtagPattern().globalMatch(text);
    while (it.hasNext()) {
        const QString tag = it.next().captured(2).toLower();
        if (!tags.contains(tag))
            tags << tag;
    }
    return tags;
}

QString PostListModel::hashtagOfLink(const QString& link) {
    static const QString prefix = QStringLiteral("hashtag:");
    return link.startsWith(prefix) ? link.mid(prefix.size()) : QString();
}

void PostListModel::apply(std::vector<QVariantMap> target) {
    const auto idOf = [](const QVariantMap& row) { return row.value(QStringLiteral("postId")).toString(); };
    QSet<QString> wanted;
    for (const auto& row : target)
        wanted.insert(idOf(row));
    const int before = rowCount();
    for (int i = int(m_rows.size()) - 1; i >= 0; --i) {
        if (wanted.contains(idOf(m_rows[std::size_t(i)])))
            continue;
        beginRemoveRows({}, i, i);
        m_rows.erase(m_rows.begin() + i);
        endRemoveRows();
    }
    // What is left must be in the target's order for insertions alone to get there; posts are
    // ordered by id, so it always is, but a reset keeps the model right if it ever is not.
    std::size_t next = 0;
    for (const auto& row : m_rows) {
        while (next < target.size() && idOf(target[next]) != idOf(row))
            ++next;
        if (next == target.size()) {
            beginResetModel();
            m_rows = std::move(target);
            endResetModel();
            emit countChanged();
            return;
        }
        ++next;
    }
    for (std::size_t i = 0; i < target.size(); ++i) {
        if (i < m_rows.size() && idOf(m_rows[i]) == idOf(target[i])) {
            if (m_rows[i] != target[i]) {
                m_rows[i] = std::move(target[i]);
                emit dataChanged(index(int(i)), index(int(i)));
            }
            continue;
        }
        beginInsertRows({}, int(i), int(i));
        m_rows.insert(m_rows.begin() + std::ptrdiff_t(i), std::move(target[i]));
        endInsertRows();
    }
    if (rowCount() != before)
        emit countChanged();
}

void PostListModel::append(std::vector<QVariantMap> rows) {
    if (rows.empty())
        return;
    beginInsertRows({}, rowCount(), rowCount() + int(rows.size()) - 1);
    for (auto& row : rows)
        m_rows.push_back(std::move(row));
    endInsertRows();
    emit countChanged();
}

} // namespace pinhole::app
