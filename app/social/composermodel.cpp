#include "composermodel.h"

#include "social/postlistmodel.h"

#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <map>

namespace pinhole::app {

namespace {

// The server's derivative sizes (server/media/derivatives.h; the app cannot link the server, so
// the plan is restated here and docs/api.md "Media bytes" states the same numbers).
constexpr int kThumbSize = 360;
constexpr int kPreviewWidth = 1080;
constexpr int kPreviewMaxHeight = 4096;
constexpr int kLargeLongEdge = 2048;

QSize scaled(QSize s, double factor) {
    return {std::max(1, int(std::lround(s.width() * factor))), std::max(1, int(std::lround(s.height() * factor)))};
}

QString sizeText(QSize s) {
    return QStringLiteral("%1 × %2").arg(s.width()).arg(s.height());
}

bool isWordChar(QChar c) {
    return c.isLetterOrNumber() || c == QLatin1Char('_');
}

struct Vocabulary {
    std::vector<std::pair<std::string, int>> hashtags, accounts;
};

} // namespace

ComposerModel::ComposerModel(Session* session, QObject* parent) : QAbstractListModel(parent), m_session(session) {}

int ComposerModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_photos.size());
}

QVariant ComposerModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Photo& p = m_photos[std::size_t(index.row())];
    switch (role) {
    case Sha256Role: return p.sha256;
    case SizesRole: return p.loaded ? derivativeSizes(p.upright) : QString();
    case RemovedRole: return p.loaded ? removedFor(p) : QStringList();
    case PreviewRole: return p.loaded ? previewFor(p) : QString();
    case LoadedRole: return p.loaded;
    default: return {};
    }
}

QHash<int, QByteArray> ComposerModel::roleNames() const {
    return {{Sha256Role, "sha256"},
            {SizesRole, "sizes"},
            {RemovedRole, "removed"},
            {PreviewRole, "preview"},
            {LoadedRole, "loaded"}};
}

void ComposerModel::start(const QStringList& sha256s) {
    beginResetModel();
    m_photos.clear();
    for (const QString& sha : sha256s)
        if (!sha.isEmpty() &&
            std::none_of(m_photos.begin(), m_photos.end(), [&](const Photo& p) { return p.sha256 == sha; }))
            m_photos.push_back({.sha256 = sha});
    endResetModel();
    emit countChanged();
    setCaption({});
    setVisibility(QStringLiteral("public"));
    loadPhotos();
    loadVocabulary();
}

void ComposerModel::move(int from, int to) {
    const int n = rowCount();
    if (from < 0 || from >= n || to < 0 || to >= n || from == to)
        return;
    // beginMoveRows wants the row the moved one goes BEFORE, in the old numbering.
    if (!beginMoveRows({}, from, from, {}, to > from ? to + 1 : to))
        return;
    Photo p = std::move(m_photos[std::size_t(from)]);
    m_photos.erase(m_photos.begin() + from);
    m_photos.insert(m_photos.begin() + to, std::move(p));
    endMoveRows();
}

void ComposerModel::remove(int row) {
    if (row < 0 || row >= rowCount())
        return;
    beginRemoveRows({}, row, row);
    m_photos.erase(m_photos.begin() + row);
    endRemoveRows();
    emit countChanged();
}

QString ComposerModel::sha256At(int row) const {
    return row >= 0 && row < rowCount() ? m_photos[std::size_t(row)].sha256 : QString();
}

void ComposerModel::setCaption(const QString& caption) {
    if (caption == m_caption)
        return;
    m_caption = caption;
    emit captionChanged();
}

void ComposerModel::setVisibility(const QString& visibility) {
    if (visibility == m_visibility || !visibilities().contains(visibility))
        return;
    m_visibility = visibility;
    emit visibilityChanged();
}

QStringList ComposerModel::visibilities() {
    return {QStringLiteral("public"), QStringLiteral("unlisted"), QStringLiteral("private")};
}

void ComposerModel::loadPhotos() {
    if (!m_session)
        return;
    std::vector<std::string> shas;
    for (const auto& p : m_photos)
        shas.push_back(p.sha256.toStdString());
    const int generation = ++m_generation;
    m_session->call<std::vector<Photo>>(
        [shas](sync::Engine& engine) {
            std::vector<Photo> out;
            for (const auto& sha : shas) {
                Photo p{.sha256 = QString::fromStdString(sha), .loaded = true};
                auto asset = engine.library().asset(sha);
                if (asset && *asset) {
                    const sync::LocalAsset& a = **asset;
                    if (a.width && a.height) {
                        // Orientations 5 to 8 turn the stored image a quarter: the upright one is its transpose.
                        const bool turned = a.orientation >= 5 && a.orientation <= 8;
                        p.upright = turned ? QSize(*a.height, *a.width) : QSize(*a.width, *a.height);
                    }
                    p.gps = a.latitude.has_value() || a.longitude.has_value();
                    p.camera = a.cameraMake || a.cameraModel || a.lens || a.exposureTime || a.fNumber || a.iso ||
                               a.focalLength;
                }
                out.push_back(std::move(p));
            }
            return out;
        },
        this,
        [this, generation](std::vector<Photo> read) {
            if (generation != m_generation)
                return;
            for (std::size_t i = 0; i < m_photos.size(); ++i) {
                for (const Photo& r : read)
                    if (r.sha256 == m_photos[i].sha256)
                        m_photos[i] = r;
                emit dataChanged(index(int(i)), index(int(i)));
            }
        });
}

void ComposerModel::loadVocabulary() {
    if (!m_session)
        return;
    m_session->call<Vocabulary>(
        [](sync::Engine& engine) {
            // Hashtags: the library's one-word tags and the hashtags of the posts in the local
            // feed; accounts: the people the mirror knows (followers, followed, feed authors).
            std::map<std::string, int> tags, people;
            static const QRegularExpression oneWord(QStringLiteral("^\\w+$"),
                                                    QRegularExpression::UseUnicodePropertiesOption);
            if (auto counts = engine.library().tagCounts())
                for (const auto& [label, n] : *counts)
                    if (oneWord.match(QString::fromStdString(label)).hasMatch())
                        tags[label] += n;
            if (auto feed = engine.social().feed({}, 200); feed) {
                for (const auto& post : feed->posts) {
                    for (const QString& tag : PostListModel::hashtagsIn(QString::fromStdString(post.text)))
                        tags[tag.toStdString()] += 1;
                    if (!post.author.username.empty())
                        people[post.author.username] += 1;
                }
            }
            for (auto list : {engine.social().followers(), engine.social().following()})
                if (list)
                    for (const auto& a : *list)
                        people[a.username] += 1;
            if (auto me = engine.social().me(); me && *me)
                people.erase((*me)->username);
            Vocabulary v;
            auto sorted = [](const std::map<std::string, int>& m) {
                std::vector<std::pair<std::string, int>> out(m.begin(), m.end());
                std::stable_sort(out.begin(), out.end(),
                                 [](const auto& a, const auto& b) { return a.second > b.second; });
                return out;
            };
            v.hashtags = sorted(tags);
            v.accounts = sorted(people);
            return v;
        },
        this,
        [this](Vocabulary v) {
            m_hashtags = std::move(v.hashtags);
            m_accounts = std::move(v.accounts);
            // The user may have begun a word before the vocabulary arrived.
            if (!m_completionKind.isEmpty())
                m_suggestions.setTags(m_completionKind == QLatin1String("#") ? m_hashtags : m_accounts);
        });
}

void ComposerModel::updateCompletion(int cursor) {
    cursor = std::clamp(cursor, 0, int(m_caption.size()));
    int start = cursor;
    while (start > 0 && isWordChar(m_caption[start - 1]))
        --start;
    QString kind;
    if (start > 0 && (m_caption[start - 1] == QLatin1Char('#') || m_caption[start - 1] == QLatin1Char('@')) &&
        (start == 1 || !isWordChar(m_caption[start - 2])))
        kind = m_caption[start - 1];
    if (!kind.isEmpty()) {
        if (kind != m_completionKind)
            m_suggestions.setTags(kind == QLatin1String("#") ? m_hashtags : m_accounts);
        m_suggestions.setFilter(m_caption.mid(start, cursor - start));
    }
    if (kind != m_completionKind) {
        m_completionKind = kind;
        emit completionChanged();
    }
}

int ComposerModel::complete(const QString& label, int cursor) {
    cursor = std::clamp(cursor, 0, int(m_caption.size()));
    int start = cursor;
    while (start > 0 && isWordChar(m_caption[start - 1]))
        --start;
    QString caption = m_caption;
    caption.replace(start, cursor - start, label + QLatin1Char(' '));
    setCaption(caption);
    m_completionKind.clear();
    emit completionChanged();
    return start + int(label.size()) + 1;
}

QString ComposerModel::problem() const {
    if (m_photos.empty())
        return tr("Choose at least one photo in the library.");
    if (int(m_photos.size()) > kMaxPhotos)
        return tr("A post can carry at most %1 photos; remove %2.")
            .arg(kMaxPhotos)
            .arg(int(m_photos.size()) - kMaxPhotos);
    return {};
}

bool ComposerModel::post() {
    if (!m_session || !canPost())
        return false;
    std::vector<std::string> shas;
    for (const auto& p : m_photos)
        shas.push_back(p.sha256.toStdString());
    m_session->edit([shas, caption = m_caption.trimmed().toStdString(),
                     visibility = m_visibility.toStdString()](sync::Engine& engine) {
        auto op = engine.library().post(shas, caption, visibility);
        return op ? sync::Status::ok() : op.status();
    });
    start({});
    emit posted();
    return true;
}

QString ComposerModel::derivativeSizes(QSize upright) {
    if (!upright.isValid() || upright.isEmpty())
        return tr("thumb %1 px square · preview up to %2 px wide · large up to %3 px")
            .arg(kThumbSize)
            .arg(kPreviewWidth)
            .arg(kLargeLongEdge);
    const int longEdge = std::max(upright.width(), upright.height());
    const int shortEdge = std::min(upright.width(), upright.height());
    const QSize large = scaled(upright, std::min(1.0, double(kLargeLongEdge) / longEdge));
    const QSize preview =
        scaled(upright,
               std::min({1.0, double(kPreviewWidth) / upright.width(), double(kPreviewMaxHeight) / upright.height()}));
    const int thumb = std::min(kThumbSize, shortEdge);
    return tr("thumb %1 · preview %2 · large %3").arg(sizeText({thumb, thumb}), sizeText(preview), sizeText(large));
}

QStringList ComposerModel::removedFor(const Photo& photo) {
    QStringList removed;
    if (photo.gps)
        removed << tr("location removed");
    if (photo.camera)
        removed << tr("camera data removed");
    return removed;
}

QString ComposerModel::previewFor(const Photo& photo) {
    QString text = tr("Followers receive JPEG copies: %1. Not the original.").arg(derivativeSizes(photo.upright));
    for (const QString& r : removedFor(photo))
        text += QLatin1Char(' ') + r.left(1).toUpper() + r.mid(1) + QLatin1Char('.');
    return text;
}

} // namespace pinhole::app
