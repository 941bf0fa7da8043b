#include "viewer/regionsmodel.h"

namespace pinhole::app {

QStringList RegionsModel::kinds() {
    return {QStringLiteral("face"), QStringLiteral("pet"), QStringLiteral("object"), QStringLiteral("text")};
}

RegionsModel::RegionsModel(QObject* parent) : QAbstractListModel(parent) {}

int RegionsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_regions.size());
}

QVariant RegionsModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const sync::Region& r = m_regions[std::size_t(index.row())];
    switch (role) {
    case IdRole: return QString::fromStdString(r.id);
    case BoxRole: return QRectF(r.x, r.y, r.w, r.h);
    case KindRole: return QString::fromStdString(r.kind);
    case Qt::DisplayRole:
    case LabelRole: return QString::fromStdString(r.label);
    default: return {};
    }
}

QHash<int, QByteArray> RegionsModel::roleNames() const {
    return {{IdRole, "regionId"}, {BoxRole, "box"}, {KindRole, "kind"}, {LabelRole, "label"}};
}

void RegionsModel::reset(std::vector<sync::Region> regions) {
    beginResetModel();
    m_regions = std::move(regions);
    endResetModel();
    emit countChanged();
}

void RegionsModel::add(const sync::Region& region) {
    const int row = int(m_regions.size());
    beginInsertRows({}, row, row);
    m_regions.push_back(region);
    endInsertRows();
    emit countChanged();
}

bool RegionsModel::update(const sync::Region& region) {
    const int row = rowOf(region.id);
    if (row < 0)
        return false;
    m_regions[std::size_t(row)] = region;
    emit dataChanged(index(row), index(row));
    return true;
}

bool RegionsModel::remove(const std::string& id) {
    const int row = rowOf(id);
    if (row < 0)
        return false;
    beginRemoveRows({}, row, row);
    m_regions.erase(m_regions.begin() + row);
    endRemoveRows();
    emit countChanged();
    return true;
}

const sync::Region* RegionsModel::find(const std::string& id) const {
    const int row = rowOf(id);
    return row < 0 ? nullptr : &m_regions[std::size_t(row)];
}

int RegionsModel::rowOf(const std::string& id) const {
    for (std::size_t i = 0; i < m_regions.size(); ++i)
        if (m_regions[i].id == id)
            return int(i);
    return -1;
}

} // namespace pinhole::app
