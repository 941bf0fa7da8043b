#include "albums/albumlistmodel.h"

namespace pinhole::app {

AlbumListModel::AlbumListModel(Session* session, QObject* parent) : QAbstractListModel(parent), m_session(session) {
    connect(m_session, &Session::libraryChanged, this, &AlbumListModel::reload);
}

int AlbumListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_albums.size());
}

QVariant AlbumListModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Album& a = m_albums[std::size_t(index.row())];
    switch (role) {
    case AlbumIdRole: return a.id;
    case Qt::DisplayRole:
    case NameRole: return a.name;
    case PhotoCountRole: return a.count;
    case CoverRole: return a.coverSha256;
    case PinnedRole: return a.pinned;
    case OfflineCountRole: return a.offline;
    default: return {};
    }
}

QHash<int, QByteArray> AlbumListModel::roleNames() const {
    return {{AlbumIdRole, "albumId"}, {NameRole, "name"},     {PhotoCountRole, "photoCount"},
            {CoverRole, "cover"},     {PinnedRole, "pinned"}, {OfflineCountRole, "offlineCount"}};
}

void AlbumListModel::reload() {
    if (!m_reads.tryStart())
        return;
    emit loadingChanged();
    m_session->call<std::vector<Album>>(
        [](sync::Engine& engine) {
            std::vector<Album> out;
            auto albums = engine.library().albums();
            if (!albums)
                return out;
            for (const auto& a : *albums) {
                Album album{QString::fromStdString(a.id), QString::fromStdString(a.name), int(a.assetSha256s.size()),
                            a.assetSha256s.empty() ? QString() : QString::fromStdString(a.assetSha256s.front())};
                if (auto pin = engine.media()->pinState(a.id)) {
                    album.pinned = pin->pinned;
                    album.offline = pin->available;
                }
                out.push_back(std::move(album));
            }
            return out;
        },
        this, [this](std::vector<Album> albums) { apply(std::move(albums)); });
}

void AlbumListModel::apply(std::vector<Album> albums) {
    const int before = count();
    beginResetModel();
    m_albums = std::move(albums);
    endResetModel();
    if (before != count())
        emit countChanged();
    if (m_reads.finish()) {
        reload();
        return;
    }
    emit loadingChanged();
}

void AlbumListModel::create(const QString& name) {
    m_session->edit([name = name.trimmed().toStdString()](sync::Engine& engine) {
        auto id = engine.library().createAlbum(name);
        return id ? sync::Status::ok() : id.status();
    });
}

void AlbumListModel::rename(const QString& albumId, const QString& name) {
    m_session->edit([id = albumId.toStdString(), name = name.trimmed().toStdString()](sync::Engine& engine) {
        return engine.library().renameAlbum(id, name);
    });
}

void AlbumListModel::remove(const QString& albumId) {
    m_session->edit([id = albumId.toStdString()](sync::Engine& engine) { return engine.library().deleteAlbum(id); });
}

void AlbumListModel::setPinned(const QString& albumId, bool pinned) {
    // An edit: the album list re-reads, and the nudged sync round fetches the originals.
    m_session->edit([id = albumId.toStdString(), pinned](sync::Engine& engine) {
        return pinned ? engine.media()->pinAlbum(id) : engine.media()->unpinAlbum(id);
    });
}

QString AlbumListModel::nameOf(const QString& albumId) const {
    for (const auto& a : m_albums)
        if (a.id == albumId)
            return a.name;
    return {};
}

} // namespace pinhole::app
