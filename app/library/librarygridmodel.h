// The library grid as rows for a ListView: a header row per day (or month), then rows of
// `columns` photos. By day, consecutive days of one month whose photos fit in one row together
// share a header ("20–24 August 2024"). A ListView of these rows is a virtualised, grouped grid: only the rows on
// screen exist, and a header is an ordinary row. Rebuilt (on the GUI thread, O(photos) without
// any query) when the photos, the column count or the grouping change.
//
// Threading: GUI thread only.
#pragma once

#include "library/librarymodel.h"

#include <QAbstractListModel>
#include <QPointer>
#include <QtQml/qqmlregistration.h>

namespace pinhole::app {

class LibraryGridModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(LibraryModel* photos READ photos WRITE setPhotos NOTIFY photosChanged)
    Q_PROPERTY(int columns READ columns WRITE setColumns NOTIFY columnsChanged)
    Q_PROPERTY(Grouping grouping READ grouping WRITE setGrouping NOTIFY groupingChanged)

public:
    // None: one group without a header (an album, in its own order).
    enum class Grouping { Day, Month, None };
    Q_ENUM(Grouping)
    enum Role {
        IsHeaderRole = Qt::UserRole + 1,
        TitleRole, // the header's "Sunday 5 May 2024" / "May 2024"
        FirstRole, // index in `photos` of the row's first photo (or of the group, for a header)
        CountRole, // photos in the row (or in the group, for a header)
        CellsRole, // the row's photos: [{index, sha256, selected}]
    };
    Q_ENUM(Role)

    explicit LibraryGridModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    LibraryModel* photos() const { return m_photos; }
    void setPhotos(LibraryModel* photos);
    int columns() const { return m_columns; }
    void setColumns(int columns);
    Grouping grouping() const { return m_grouping; }
    void setGrouping(Grouping grouping);

    // The grid row showing the photo at `photoIndex` (for scrolling to the keyboard's current
    // photo), or -1.
    Q_INVOKABLE int rowOfPhoto(int photoIndex) const;
    // The header title for a capture time (an invalid one is "No date").
    static QString titleFor(const QDateTime& takenAt, Grouping grouping);
    // A day group's header: the day ("Saturday 24 August 2024"), or the days of one month it
    // spans ("20–24 August 2024").
    static QString titleForDays(const QDate& earliest, const QDate& latest);

signals:
    void photosChanged();
    void columnsChanged();
    void groupingChanged();

private:
    struct Row {
        bool header = false;
        QString title;
        int first = 0;
        int count = 0;
    };
    void rebuild();
    void photosDataChanged(const QModelIndex& topLeft, const QModelIndex& bottomRight);

    QPointer<LibraryModel> m_photos;
    int m_columns = 6;
    Grouping m_grouping = Grouping::Day;
    std::vector<Row> m_rows;
    std::vector<int> m_rowOfPhoto; // photo index -> grid row
};

} // namespace pinhole::app
