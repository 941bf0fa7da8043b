// Autocomplete for the viewer's tag field: the library's tags (Library::tagCounts(), most used
// first) whose label contains what the user typed, labels that start with it first, without
// the tags the photo already has, at most kLimit rows. Threading: GUI thread.
#pragma once

#include <QAbstractListModel>
#include <QStringList>
#include <QtQml/qqmlregistration.h>

#include <string>
#include <utility>
#include <vector>

namespace pinhole::app {

class TagSuggestionsModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The viewer's controller owns its suggestions")
    Q_PROPERTY(QString filter READ filter WRITE setFilter NOTIFY filterChanged)
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)

public:
    static constexpr int kLimit = 8;
    enum Role { LabelRole = Qt::UserRole + 1, CountRole };

    explicit TagSuggestionsModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    QString filter() const { return m_filter; }
    void setFilter(const QString& filter);
    // Every tag with its photo count, most used first (as tagCounts() gives them).
    void setTags(const std::vector<std::pair<std::string, int>>& tags);
    // Tags not to suggest (the photo's own).
    void setExcluded(const QStringList& labels);
    Q_INVOKABLE QString labelAt(int row) const;

signals:
    void filterChanged();
    void countChanged();

private:
    void refilter();

    struct Tag {
        QString label;
        int count;
    };
    std::vector<Tag> m_all;
    std::vector<Tag> m_shown;
    QStringList m_excluded;
    QString m_filter;
};

} // namespace pinhole::app
