// The regions drawn on the photo in the viewer: boxes in normalised coordinates on the upright
// image (the server's region schema), each with a kind and a label. The viewer's controller
// fills it from Library::regions() and applies each edit here at once (the store follows on
// the library thread). Threading: GUI thread.
#pragma once

#include "library/library.h"

#include <QAbstractListModel>
#include <QRectF>
#include <QtQml/qqmlregistration.h>

#include <vector>

namespace pinhole::app {

class RegionsModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The viewer's controller owns its regions")
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)

public:
    enum Role { IdRole = Qt::UserRole + 1, BoxRole, KindRole, LabelRole };
    // The kinds the server's schema accepts, in the order the viewer offers them.
    static QStringList kinds();

    explicit RegionsModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    void reset(std::vector<sync::Region> regions);
    void add(const sync::Region& region);
    // By id; false if there is none.
    bool update(const sync::Region& region);
    bool remove(const std::string& id);
    const sync::Region* find(const std::string& id) const;
    const std::vector<sync::Region>& regions() const { return m_regions; }

signals:
    void countChanged();

private:
    int rowOf(const std::string& id) const;

    std::vector<sync::Region> m_regions;
};

} // namespace pinhole::app
