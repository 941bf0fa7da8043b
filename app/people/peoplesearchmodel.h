// Online search for people and hashtags (/api/v2/search through Social::search): the rows are the
// accounts found, then the hashtags. Typing is debounced (kDebounceMs after the last change) and
// each search runs on the library thread; an answer to an older query is dropped, so the rows
// always belong to `query`. Offline, `error` says so and the rows stay empty.
//
// Threading: GUI thread only.
#pragma once

#include "people/person.h"
#include "session.h"

#include <QAbstractListModel>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

namespace pinhole::app {

class PeopleSearchModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Searches come from App.peopleSearch()")
    Q_PROPERTY(QString query READ query WRITE setQuery NOTIFY queryChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)

public:
    static constexpr int kDebounceMs = 300;
    enum Role { KindRole = Qt::UserRole + 1, AccountIdRole, UsernameRole, DisplayNameRole, AvatarRole, LockedRole, HashtagRole };
    Q_ENUM(Role)

    struct Hit {
        QString kind; // "account" or "hashtag"
        Person person;
        QString hashtag; // without '#'
    };
    struct Answer {
        std::vector<Hit> hits;
        QString error;
    };

    explicit PeopleSearchModel(Session* session, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    QString query() const { return m_query; }
    void setQuery(const QString& query);
    int count() const { return rowCount(); }
    bool loading() const { return m_loading; }
    QString error() const { return m_error; }

signals:
    void queryChanged();
    void countChanged();
    void loadingChanged();
    void errorChanged();

private:
    void search();
    void apply(Answer answer);
    void setLoading(bool loading);

    Session* m_session;
    QTimer m_debounce;
    QString m_query;
    std::vector<Hit> m_hits;
    QString m_error;
    bool m_loading = false;
    quint64 m_generation = 0; // of the latest query; older answers are dropped
};

} // namespace pinhole::app
