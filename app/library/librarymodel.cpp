#include "library/librarymodel.h"

#include <QFileInfo>

#include <algorithm>

namespace pinhole::app {

QDateTime parseTakenAt(const std::string& text) {
    const QString s = QString::fromStdString(text).trimmed();
    // EXIF writes "YYYY:MM:DD HH:MM:SS" with no zone: the camera's local time, shown as is.
    QDateTime t = QDateTime::fromString(s.left(19), QStringLiteral("yyyy:MM:dd HH:mm:ss"));
    if (!t.isValid())
        t = QDateTime::fromString(s, Qt::ISODate);
    return t;
}

std::vector<PhotoRow> photoRowsOf(const std::vector<sync::LocalAsset>& assets) {
    std::vector<PhotoRow> rows;
    rows.reserve(assets.size());
    for (const auto& a : assets) {
        if (a.trashed)
            continue;
        PhotoRow r;
        r.sha256 = QString::fromStdString(a.sha256);
        if (a.takenAt)
            r.takenAt = parseTakenAt(*a.takenAt);
        r.width = a.width.value_or(0);
        r.height = a.height.value_or(0);
        r.caption = QString::fromStdString(a.caption);
        if (!a.files.empty())
            r.fileName = QFileInfo(QString::fromStdString(a.files.front())).fileName();
        r.orientation = a.orientation;
        r.favourite = a.favourite;
        r.rating = a.rating;
        if (a.thumbhash)
            r.thumbhash =
                QString::fromLatin1(QByteArray::fromBase64(QByteArray::fromStdString(*a.thumbhash))
                                        .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
        r.onServer = a.serverId.has_value();
        r.size = a.size;
        rows.push_back(std::move(r));
    }
    return rows;
}

namespace {
void sortNewestFirst(std::vector<PhotoRow>& rows) {
    std::stable_sort(rows.begin(), rows.end(), [](const PhotoRow& a, const PhotoRow& b) {
        if (a.takenAt.isValid() != b.takenAt.isValid())
            return a.takenAt.isValid(); // undated last
        if (a.takenAt != b.takenAt)
            return a.takenAt > b.takenAt;
        return a.sha256 < b.sha256;
    });
}
} // namespace

LibraryModel::LibraryModel(Session* session, QObject* parent) : QAbstractListModel(parent), m_session(session) {
    connect(m_session, &Session::libraryChanged, this, &LibraryModel::reload);
}

int LibraryModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_rows->size());
}

QVariant LibraryModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const PhotoRow& r = row(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case FileNameRole: return r.fileName;
    case Sha256Role: return r.sha256;
    case TakenAtRole: return r.takenAt;
    case WidthRole: return r.width;
    case HeightRole: return r.height;
    case OrientationRole: return r.orientation;
    case CaptionRole: return r.caption;
    case FavouriteRole: return r.favourite;
    case SelectedRole: return m_selected.contains(r.sha256);
    case OnServerRole: return r.onServer;
    case SizeRole: return r.size;
    default: return {};
    }
}

QHash<int, QByteArray> LibraryModel::roleNames() const {
    return {{Sha256Role, "sha256"},
            {TakenAtRole, "takenAt"},
            {WidthRole, "width"},
            {HeightRole, "height"},
            {OrientationRole, "orientation"},
            {CaptionRole, "caption"},
            {FileNameRole, "fileName"},
            {FavouriteRole, "favourite"},
            {SelectedRole, "selected"},
            {OnServerRole, "onServer"},
            {SizeRole, "size"}};
}

void LibraryModel::setAlbumId(const QString& id) {
    if (id == m_albumId)
        return;
    m_albumId = id;
    emit albumIdChanged();
    emit reorderableChanged();
    reload();
}

void LibraryModel::setFilter(const QString& filter) {
    if (filter == m_filter)
        return;
    m_filter = filter;
    emit filterChanged();
    emit reorderableChanged();
    reload();
}

void LibraryModel::setAnnotationSearch(const QString& text) {
    if (text == m_annotationSearch)
        return;
    m_annotationSearch = text;
    emit annotationSearchChanged();
    emit reorderableChanged();
    reload();
}

void LibraryModel::reload() {
    if (!m_reads.tryStart())
        return;
    emit loadingChanged();
    const std::string albumId = m_albumId.toStdString();
    m_session->call<PhotoRows>(
        [session = m_session, albumId, filter = m_filter.trimmed(),
         search = m_annotationSearch.trimmed().toStdString()](sync::Engine& engine) -> PhotoRows {
            auto& library = engine.library();
            auto assets = session->readLibrary(engine);
            if (!assets)
                return std::make_shared<const std::vector<PhotoRow>>();
            auto rows = photoRowsOf(*assets);
            if (!search.empty()) {
                auto found = engine.social().searchLibrary(search, 10'000);
                QSet<QString> matching;
                if (found)
                    for (const auto& sha : *found)
                        matching.insert(QString::fromStdString(sha));
                std::erase_if(rows, [&matching](const PhotoRow& r) { return !matching.contains(r.sha256); });
            }
            if (!filter.isEmpty())
                std::erase_if(rows, [&filter](const PhotoRow& r) {
                    return !r.fileName.contains(filter, Qt::CaseInsensitive) &&
                           !r.caption.contains(filter, Qt::CaseInsensitive);
                });
            if (albumId.empty()) {
                sortNewestFirst(rows);
                return std::make_shared<const std::vector<PhotoRow>>(std::move(rows));
            }
            // An album: its photos in the album's order.
            auto albums = library.albums();
            std::vector<PhotoRow> inAlbum;
            if (albums) {
                QHash<QString, std::size_t> bySha;
                for (std::size_t i = 0; i < rows.size(); ++i)
                    bySha.insert(rows[i].sha256, i);
                for (const auto& album : *albums) {
                    if (album.id != albumId)
                        continue;
                    for (const auto& sha : album.assetSha256s) {
                        auto it = bySha.constFind(QString::fromStdString(sha));
                        if (it != bySha.constEnd())
                            inAlbum.push_back(rows[*it]);
                    }
                }
            }
            return std::make_shared<const std::vector<PhotoRow>>(std::move(inAlbum));
        },
        this, [this](PhotoRows rows) { apply(std::move(rows)); });
}

void LibraryModel::apply(PhotoRows rows) {
    const bool sameOrder = rows->size() == m_rows->size() &&
                           std::equal(rows->begin(), rows->end(), m_rows->begin(),
                                      [](const PhotoRow& a, const PhotoRow& b) { return a.sha256 == b.sha256; });
    if (sameOrder) {
        m_rows = std::move(rows);
        if (!m_rows->empty())
            emit dataChanged(index(0), index(int(m_rows->size()) - 1));
        if (!m_selected.isEmpty())
            emit selectionChanged(); // favourites may have changed
    } else {
        const int before = count();
        beginResetModel();
        m_rows = std::move(rows);
        m_indexOf.clear();
        m_indexOf.reserve(qsizetype(m_rows->size()));
        for (std::size_t i = 0; i < m_rows->size(); ++i)
            m_indexOf.insert((*m_rows)[i].sha256, int(i));
        // Photos that left keep no selection.
        for (auto it = m_selected.begin(); it != m_selected.end();)
            it = m_indexOf.contains(*it) ? std::next(it) : m_selected.erase(it);
        m_anchor = -1;
        endResetModel();
        if (before != count())
            emit countChanged();
        emit selectionChanged();
    }
    const bool again = m_reads.finish();
    emit rowsLoaded();
    if (again) {
        reload();
        return;
    }
    emit loadingChanged();
}

QString LibraryModel::sha256At(int index) const {
    return index >= 0 && index < count() ? row(index).sha256 : QString();
}

int LibraryModel::indexOf(const QString& sha256) const {
    return m_indexOf.value(sha256, -1);
}

void LibraryModel::emitSelectedChanged(int first, int last) {
    if (first <= last)
        emit dataChanged(index(first), index(last), {SelectedRole});
}

void LibraryModel::select(int i, int modifiers) {
    if (i < 0 || i >= count())
        return;
    const auto mods = Qt::KeyboardModifiers(modifiers);
    const QString sha = row(i).sha256;
    if (mods & Qt::ShiftModifier && m_anchor >= 0) {
        const int first = std::min(m_anchor, i), last = std::max(m_anchor, i);
        if (!(mods & Qt::ControlModifier))
            clearSelection();
        for (int k = first; k <= last; ++k)
            m_selected.insert(row(k).sha256);
        emitSelectedChanged(first, last);
    } else if (mods & Qt::ControlModifier) {
        if (!m_selected.remove(sha))
            m_selected.insert(sha);
        m_anchor = i;
        emitSelectedChanged(i, i);
    } else {
        clearSelection();
        m_selected.insert(sha);
        m_anchor = i;
        emitSelectedChanged(i, i);
    }
    emit selectionChanged();
}

void LibraryModel::selectAll() {
    for (const auto& r : *m_rows)
        m_selected.insert(r.sha256);
    emitSelectedChanged(0, count() - 1);
    emit selectionChanged();
}

void LibraryModel::clearSelection() {
    if (m_selected.isEmpty())
        return;
    const auto was = m_selected;
    m_selected.clear();
    for (const auto& sha : was) {
        const int i = indexOf(sha);
        emitSelectedChanged(i, i);
    }
    emit selectionChanged();
}

bool LibraryModel::isSelected(int i) const {
    return i >= 0 && i < count() && m_selected.contains(row(i).sha256);
}

QStringList LibraryModel::selectedSha256s() const {
    QStringList out;
    for (const auto& r : *m_rows) // in grid order
        if (m_selected.contains(r.sha256))
            out << r.sha256;
    return out;
}

std::vector<std::string> LibraryModel::selectedForEdit() const {
    std::vector<std::string> shas;
    for (const auto& s : selectedSha256s())
        shas.push_back(s.toStdString());
    return shas;
}

void LibraryModel::setSelectionFavourite(bool favourite) {
    m_session->edit([shas = selectedForEdit(), favourite](sync::Engine& engine) {
        for (const auto& sha : shas)
            PINHOLE_TRY(engine.library().setFavourite(sha, favourite));
        return sync::Status::ok();
    });
}

void LibraryModel::tagSelection(const QString& label) {
    const std::string tag = label.trimmed().toStdString();
    if (tag.empty())
        return;
    m_session->edit([shas = selectedForEdit(), tag](sync::Engine& engine) {
        for (const auto& sha : shas)
            PINHOLE_TRY(engine.library().addTag(sha, tag));
        return sync::Status::ok();
    });
}

void LibraryModel::trashSelection() {
    m_session->edit([shas = selectedForEdit()](sync::Engine& engine) {
        for (const auto& sha : shas)
            PINHOLE_TRY(engine.library().trash(sha));
        return sync::Status::ok();
    });
}

bool LibraryModel::selectionIsFavourite() const {
    if (m_selected.isEmpty())
        return false;
    for (const auto& sha : m_selected)
        if (const int i = indexOf(sha); i >= 0 && !row(i).favourite)
            return false;
    return true;
}

void LibraryModel::addSelectionToAlbum(const QString& albumId) {
    const auto shas = selectedForEdit();
    m_session->edit([albumId = albumId.toStdString(), shas](sync::Engine& engine) {
        for (const auto& sha : shas)
            PINHOLE_TRY(engine.library().addToAlbum(albumId, sha));
        return sync::Status::ok();
    });
}

void LibraryModel::removeSelectionFromAlbum() {
    if (m_albumId.isEmpty())
        return;
    const auto shas = selectedForEdit();
    m_session->edit([albumId = m_albumId.toStdString(), shas](sync::Engine& engine) {
        for (const auto& sha : shas)
            PINHOLE_TRY(engine.library().removeFromAlbum(albumId, sha));
        return sync::Status::ok();
    });
}

bool LibraryModel::moveInAlbum(int from, int to) {
    const int n = count();
    if (!reorderable() || from < 0 || from >= n || to < 0 || to >= n || from == to)
        return false;
    const QString sha = row(from).sha256;
    auto rows = std::make_shared<std::vector<PhotoRow>>(*m_rows);
    PhotoRow moved = std::move((*rows)[std::size_t(from)]);
    rows->erase(rows->begin() + from);
    rows->insert(rows->begin() + to, std::move(moved));
    // beginMoveRows names the row the moved one goes before, in the old numbering.
    beginMoveRows({}, from, from, {}, to > from ? to + 1 : to);
    m_rows = std::move(rows);
    for (int i = std::min(from, to); i <= std::max(from, to); ++i)
        m_indexOf.insert(row(i).sha256, i);
    m_anchor = -1;
    endMoveRows();
    m_session->edit([albumId = m_albumId.toStdString(), sha = sha.toStdString(), to](sync::Engine& engine) {
        return engine.library().moveInAlbum(albumId, sha, to);
    });
    return true;
}

} // namespace pinhole::app
