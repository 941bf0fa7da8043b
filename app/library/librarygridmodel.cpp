#include "library/librarygridmodel.h"

#include <QLocale>
#include <QVariantMap>

namespace pinhole::app {

LibraryGridModel::LibraryGridModel(QObject* parent) : QAbstractListModel(parent) {}

int LibraryGridModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant LibraryGridModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& r = m_rows[std::size_t(index.row())];
    switch (role) {
    case IsHeaderRole: return r.header;
    case Qt::DisplayRole:
    case TitleRole: return r.title;
    case FirstRole: return r.first;
    case CountRole: return r.count;
    case CellsRole: {
        QVariantList cells;
        if (r.header || !m_photos)
            return cells;
        for (int i = r.first; i < r.first + r.count; ++i) {
            const PhotoRow& p = m_photos->row(i);
            cells.append(QVariantMap{{"index", i},
                                     {"sha256", p.sha256},
                                     {"selected", m_photos->isSelected(i)},
                                     {"favourite", p.favourite},
                                     {"orientation", p.orientation},
                                     {"thumbhash", p.thumbhash}});
        }
        return cells;
    }
    default: return {};
    }
}

QHash<int, QByteArray> LibraryGridModel::roleNames() const {
    return {{IsHeaderRole, "isHeader"},
            {TitleRole, "title"},
            {FirstRole, "first"},
            {CountRole, "count"},
            {CellsRole, "cells"}};
}

void LibraryGridModel::setPhotos(LibraryModel* photos) {
    if (photos == m_photos)
        return;
    if (m_photos)
        disconnect(m_photos, nullptr, this, nullptr);
    m_photos = photos;
    if (m_photos) {
        connect(m_photos, &QAbstractItemModel::modelReset, this, &LibraryGridModel::rebuild);
        connect(m_photos, &QAbstractItemModel::rowsInserted, this, &LibraryGridModel::rebuild);
        connect(m_photos, &QAbstractItemModel::rowsRemoved, this, &LibraryGridModel::rebuild);
        connect(m_photos, &QAbstractItemModel::rowsMoved, this, &LibraryGridModel::rebuild);
        connect(m_photos, &QAbstractItemModel::dataChanged, this, &LibraryGridModel::photosDataChanged);
    }
    rebuild();
    emit photosChanged();
}

void LibraryGridModel::setColumns(int columns) {
    columns = std::max(1, columns);
    if (columns == m_columns)
        return;
    m_columns = columns;
    rebuild();
    emit columnsChanged();
}

void LibraryGridModel::setGrouping(Grouping grouping) {
    if (grouping == m_grouping)
        return;
    m_grouping = grouping;
    rebuild();
    emit groupingChanged();
}

QString LibraryGridModel::titleFor(const QDateTime& takenAt, Grouping grouping) {
    if (!takenAt.isValid())
        return tr("No date");
    const QLocale locale;
    return grouping == Grouping::Day ? locale.toString(takenAt.date(), QStringLiteral("dddd d MMMM yyyy"))
                                     : locale.toString(takenAt.date(), QStringLiteral("MMMM yyyy"));
}

QString LibraryGridModel::titleForDays(const QDate& earliest, const QDate& latest) {
    if (earliest == latest)
        return titleFor(earliest.startOfDay(), Grouping::Day);
    //: A group of photos from several days of one month: first day, last day, month and year.
    return tr("%1–%2 %3")
        .arg(earliest.day())
        .arg(latest.day())
        .arg(QLocale().toString(latest, QStringLiteral("MMMM yyyy")));
}

void LibraryGridModel::rebuild() {
    beginResetModel();
    m_rows.clear();
    m_rowOfPhoto.clear();
    const int n = m_photos ? m_photos->count() : 0;
    m_rowOfPhoto.resize(std::size_t(n), -1);
    const auto key = [this](const QDateTime& d) {
        if (m_grouping == Grouping::None)
            return qint64(0);
        if (!d.isValid())
            return qint64(-1);
        const QDate date = d.date();
        return m_grouping == Grouping::Day ? date.toJulianDay() : qint64(date.year() * 12 + date.month());
    };
    // The groups, newest first: the photos sharing a day (or month).
    struct Group {
        int first;
        int end;
    };
    std::vector<Group> groups;
    for (int i = 0; i < n;) {
        const qint64 groupKey = key(m_photos->row(i).takenAt);
        int end = i + 1;
        while (end < n && key(m_photos->row(end).takenAt) == groupKey)
            ++end;
        groups.push_back({i, end});
        i = end;
    }
    // By day, consecutive days of one month whose photos together fit in one row share a group,
    // so a sparse library does not spend a row (and a header) on each photo.
    const auto dateOf = [this](int photo) { return m_photos->row(photo).takenAt.date(); };
    if (m_grouping == Grouping::Day) {
        std::vector<Group> merged;
        for (const Group& g : groups) {
            if (!merged.empty()) {
                Group& last = merged.back();
                const QDate newest = dateOf(last.first);
                const QDate oldest = dateOf(g.first);
                if (m_photos->row(g.first).takenAt.isValid() && m_photos->row(last.first).takenAt.isValid() &&
                    newest.year() == oldest.year() && newest.month() == oldest.month() &&
                    g.end - last.first <= m_columns) {
                    last.end = g.end;
                    continue;
                }
            }
            merged.push_back(g);
        }
        groups = std::move(merged);
    }
    for (const Group& g : groups) {
        if (m_grouping == Grouping::Day)
            m_rows.push_back({true,
                              m_photos->row(g.first).takenAt.isValid() ? titleForDays(dateOf(g.end - 1), dateOf(g.first))
                                                                       : titleFor({}, m_grouping),
                              g.first, g.end - g.first});
        else if (m_grouping == Grouping::Month)
            m_rows.push_back({true, titleFor(m_photos->row(g.first).takenAt, m_grouping), g.first, g.end - g.first});
        for (int first = g.first; first < g.end; first += m_columns) {
            const int count = std::min(m_columns, g.end - first);
            for (int k = first; k < first + count; ++k)
                m_rowOfPhoto[std::size_t(k)] = int(m_rows.size());
            m_rows.push_back({false, {}, first, count});
        }
    }
    endResetModel();
}

void LibraryGridModel::photosDataChanged(const QModelIndex& topLeft, const QModelIndex& bottomRight) {
    if (m_rowOfPhoto.empty())
        return;
    const int first = rowOfPhoto(topLeft.row());
    const int last = rowOfPhoto(bottomRight.row());
    if (first >= 0 && last >= first)
        emit dataChanged(index(first), index(last), {CellsRole});
}

int LibraryGridModel::rowOfPhoto(int photoIndex) const {
    return photoIndex >= 0 && photoIndex < int(m_rowOfPhoto.size()) ? m_rowOfPhoto[std::size_t(photoIndex)] : -1;
}

} // namespace pinhole::app
