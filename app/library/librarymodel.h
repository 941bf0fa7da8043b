// Every photo of the library (or of one album), newest capture first, for the grid and the
// viewer. The rows are an immutable snapshot read on the library thread (Session::loadAssets);
// data() only looks into it, so a 50k-photo library never costs the GUI thread a query. Also
// holds the selection (click, Shift, Ctrl, Ctrl+A) and the actions on it.
//
// Threading: GUI thread only.
#pragma once

#include "readgate.h"
#include "session.h"

#include <QAbstractListModel>
#include <QDateTime>
#include <QSet>
#include <QtQml/qqmlregistration.h>

namespace pinhole::app {

// One photo as the grid shows it; built on the library thread.
struct PhotoRow {
    QString sha256;
    QDateTime takenAt; // invalid when the photo has no capture date
    int width = 0, height = 0;
    int orientation = 1;
    QString caption;
    QString fileName;
    bool favourite = false;
    int rating = 0;
    QString thumbhash; // base64url, for image://placeholder/; empty when unknown
    bool onServer = false;
    qint64 size = 0;
};
using PhotoRows = std::shared_ptr<const std::vector<PhotoRow>>;

// Sorts a library snapshot into grid order: newest capture first, undated photos last; an
// album's photos in their album order. Pure; runs on the library thread.
std::vector<PhotoRow> photoRowsOf(const std::vector<sync::LocalAsset>& assets);
// "2024:05:01 12:30:00" (EXIF) or ISO 8601; invalid if neither.
QDateTime parseTakenAt(const std::string& text);

class LibraryModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The library comes from App.library")
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    Q_PROPERTY(QString albumId READ albumId WRITE setAlbumId NOTIFY albumIdChanged)
    Q_PROPERTY(int selectedCount READ selectedCount NOTIFY selectionChanged)
    // Whether every selected photo is a favourite (the toolbar's toggle shows it).
    Q_PROPERTY(bool selectionFavourite READ selectionIsFavourite NOTIFY selectionChanged)
    // Ctrl+F: only photos whose file name or caption contains this (case-insensitive).
    Q_PROPERTY(QString filter READ filter WRITE setFilter NOTIFY filterChanged)
    // The search page's library results: only photos whose tags, caption or region names contain
    // this (Social::searchLibrary; offline, from the local store). Empty: no restriction.
    Q_PROPERTY(QString annotationSearch READ annotationSearch WRITE setAnnotationSearch NOTIFY annotationSearchChanged)
    // Whether moveInAlbum() can move anything now (the grid enables dragging by it).
    Q_PROPERTY(bool reorderable READ reorderable NOTIFY reorderableChanged)

public:
    enum Role {
        Sha256Role = Qt::UserRole + 1,
        TakenAtRole,
        WidthRole,
        HeightRole,
        OrientationRole,
        CaptionRole,
        FileNameRole,
        FavouriteRole,
        SelectedRole,
        OnServerRole,
        SizeRole,
        RatingRole,
        ThumbhashRole,
    };
    Q_ENUM(Role)

    explicit LibraryModel(Session* session, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const { return rowCount(); }
    bool loading() const { return m_reads.busy(); }
    QString albumId() const { return m_albumId; }
    void setAlbumId(const QString& id);
    QString filter() const { return m_filter; }
    void setFilter(const QString& filter);
    QString annotationSearch() const { return m_annotationSearch; }
    void setAnnotationSearch(const QString& text);
    int selectedCount() const { return int(m_selected.size()); }
    const PhotoRow& row(int i) const { return m_rows->at(std::size_t(i)); }
    PhotoRows rows() const { return m_rows; }

    // Re-reads the library (coalesced: one load at a time, one more if asked meanwhile).
    Q_INVOKABLE void reload();
    Q_INVOKABLE QString sha256At(int index) const;
    Q_INVOKABLE int indexOf(const QString& sha256) const;

    // Selection. `modifiers` are Qt::KeyboardModifiers: none replaces the selection with the
    // photo, Ctrl toggles it, Shift extends from the anchor (the last plain or Ctrl click).
    Q_INVOKABLE void select(int index, int modifiers = 0);
    Q_INVOKABLE void selectAll();
    Q_INVOKABLE void clearSelection();
    Q_INVOKABLE bool isSelected(int index) const;
    Q_INVOKABLE QStringList selectedSha256s() const;

    // Actions on the selection (each one local edit per photo, synced later).
    Q_INVOKABLE void addSelectionToAlbum(const QString& albumId);
    Q_INVOKABLE void removeSelectionFromAlbum();
    Q_INVOKABLE void setSelectionFavourite(bool favourite);
    Q_INVOKABLE void tagSelection(const QString& label);
    // To the server's trash (restorable there); the photos leave the grid.
    Q_INVOKABLE void trashSelection();
    // An album's drag and drop: the photo at `from` goes to `to` (both rows of this model),
    // shown at once and saved as Library::moveInAlbum (synced as album.move). False (nothing
    // moves) outside an album, while filtered (rows are then not album positions), or for rows
    // out of range.
    Q_INVOKABLE bool moveInAlbum(int from, int to);
    bool reorderable() const {
        return !m_albumId.isEmpty() && m_filter.trimmed().isEmpty() && m_annotationSearch.trimmed().isEmpty();
    }
    bool selectionIsFavourite() const;

signals:
    void countChanged();
    void loadingChanged();
    void albumIdChanged();
    void filterChanged();
    void annotationSearchChanged();
    void selectionChanged();
    void reorderableChanged();
    // A new snapshot was applied (for the upload list and the benchmark).
    void rowsLoaded();

private:
    void apply(PhotoRows rows);
    std::vector<std::string> selectedForEdit() const;
    void emitSelectedChanged(int first, int last);

    Session* m_session;
    PhotoRows m_rows = std::make_shared<const std::vector<PhotoRow>>();
    QHash<QString, int> m_indexOf;
    QString m_albumId;
    QString m_filter;
    QString m_annotationSearch;
    ReadGate m_reads;
    QSet<QString> m_selected;
    int m_anchor = -1;
};

} // namespace pinhole::app
