// The per-file upload list: every photo not yet on the server, and those that finished while
// the app ran, each queued, uploading (with a fraction), done, or failed with the reason and a
// retry. Built from what the app already holds — the library snapshot (which photos have a
// server id), the engine's upload progress and the parked uploads — so it costs no query.
//
// Threading: GUI thread only.
#pragma once

#include "library/librarymodel.h"
#include "status/statuscontroller.h"

#include <QAbstractListModel>
#include <QtQml/qqmlregistration.h>

namespace pinhole::app {

class UploadListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The uploads come from App.uploads")
    Q_PROPERTY(int count READ count NOTIFY totalsChanged)
    Q_PROPERTY(int finishedCount READ finishedCount NOTIFY totalsChanged)
    Q_PROPERTY(int failedCount READ failedCount NOTIFY totalsChanged)
    // 0..1 over every listed file, by bytes (done and failed count as finished).
    Q_PROPERTY(double overallProgress READ overallProgress NOTIFY totalsChanged)
    Q_PROPERTY(bool active READ active NOTIFY totalsChanged)

public:
    enum class State { Queued, Uploading, Done, Failed };
    Q_ENUM(State)
    enum Role { Sha256Role = Qt::UserRole + 1, FileNameRole, StateRole, ProgressRole, ReasonRole, SizeRole };
    Q_ENUM(Role)

    UploadListModel(LibraryModel* library, StatusController* status, Session* session, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const { return rowCount(); }
    int finishedCount() const;
    int failedCount() const;
    double overallProgress() const;
    bool active() const;

    Q_INVOKABLE void retry(const QString& sha256);
    // Forgets the finished rows (the list's "Clear").
    Q_INVOKABLE void clearFinished();

signals:
    void totalsChanged();

private:
    struct Item {
        QString sha256, fileName;
        State state = State::Queued;
        qint64 offset = 0, size = 0;
        QString reason;
    };
    void libraryLoaded();
    void parkedChanged();
    void progress(const QString& sha256, qint64 offset, qint64 size);
    void changedAt(int row);

    LibraryModel* m_library;
    StatusController* m_status;
    Session* m_session;
    std::vector<Item> m_items;
    QHash<QString, int> m_row;
};

} // namespace pinhole::app
