#include "viewer/tagsuggestionsmodel.h"

namespace pinhole::app {

TagSuggestionsModel::TagSuggestionsModel(QObject* parent) : QAbstractListModel(parent) {}

int TagSuggestionsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_shown.size());
}

QVariant TagSuggestionsModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Tag& tag = m_shown[std::size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case LabelRole: return tag.label;
    case CountRole: return tag.count;
    default: return {};
    }
}

QHash<int, QByteArray> TagSuggestionsModel::roleNames() const {
    return {{LabelRole, "label"}, {CountRole, "count"}};
}

void TagSuggestionsModel::setFilter(const QString& filter) {
    if (filter == m_filter)
        return;
    m_filter = filter;
    emit filterChanged();
    refilter();
}

void TagSuggestionsModel::setTags(const std::vector<std::pair<std::string, int>>& tags) {
    m_all.clear();
    for (const auto& [label, count] : tags)
        m_all.push_back({QString::fromStdString(label), count});
    refilter();
}

void TagSuggestionsModel::setExcluded(const QStringList& labels) {
    m_excluded = labels;
    refilter();
}

QString TagSuggestionsModel::labelAt(int row) const {
    return row >= 0 && row < int(m_shown.size()) ? m_shown[std::size_t(row)].label : QString();
}

void TagSuggestionsModel::refilter() {
    const QString needle = m_filter.trimmed();
    std::vector<Tag> starts, contains;
    for (const Tag& tag : m_all) {
        if (m_excluded.contains(tag.label, Qt::CaseInsensitive))
            continue;
        if (tag.label.startsWith(needle, Qt::CaseInsensitive))
            starts.push_back(tag);
        else if (tag.label.contains(needle, Qt::CaseInsensitive))
            contains.push_back(tag);
    }
    starts.insert(starts.end(), contains.begin(), contains.end());
    if (starts.size() > std::size_t(kLimit))
        starts.resize(std::size_t(kLimit));
    beginResetModel();
    m_shown = std::move(starts);
    endResetModel();
    emit countChanged();
}

} // namespace pinhole::app
