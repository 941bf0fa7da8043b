// The user's albums with their covers (the first photo) and counts, and the album edits:
// create, rename, delete; and pinning for offline use (a setting of this computer, kept by the
// media cache: sync/media/mediacache.h), with how many photos are available offline. Read on the
// library thread; re-read whenever the library changes (a sync round that fetched pinned
// photos counts).
//
// Threading: GUI thread only.
#pragma once

#include "readgate.h"
#include "session.h"

#include <QAbstractListModel>
#include <QtQml/qqmlregistration.h>

namespace pinhole::app {

class AlbumListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The albums come from App.albums")
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)

public:
    enum Role { AlbumIdRole = Qt::UserRole + 1, NameRole, PhotoCountRole, CoverRole, PinnedRole, OfflineCountRole };
    Q_ENUM(Role)

    struct Album {
        QString id;
        QString name;
        int count = 0;
        QString coverSha256; // empty for an empty album
        bool pinned = false;
        int offline = 0; // photos with a local file or a cached original
    };

    explicit AlbumListModel(Session* session, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;
    int count() const { return rowCount(); }
    bool loading() const { return m_reads.busy(); }

    Q_INVOKABLE void reload();
    Q_INVOKABLE void create(const QString& name);
    Q_INVOKABLE void rename(const QString& albumId, const QString& name);
    Q_INVOKABLE void remove(const QString& albumId);
    Q_INVOKABLE QString nameOf(const QString& albumId) const;
    // Pins (the next sync round fetches its photos' originals) or unpins an album.
    Q_INVOKABLE void setPinned(const QString& albumId, bool pinned);

signals:
    void countChanged();
    void loadingChanged();

private:
    void apply(std::vector<Album> albums);

    Session* m_session;
    std::vector<Album> m_albums;
    ReadGate m_reads;
};

} // namespace pinhole::app
