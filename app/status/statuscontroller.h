// What the status bar and the settings page show about syncing: online or offline (the last
// round reached the server or not), pending operations and uploads, the parked failures (with
// retry and discard), and the last sync time. Re-read from Engine::status() on the library
// thread whenever a round or an edit changed it.
//
// Threading: GUI thread only.
#pragma once

#include "session.h"

#include <QDateTime>
#include <QObject>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

namespace pinhole::app {

class StatusController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The status comes from App.status")
    Q_PROPERTY(bool online READ online NOTIFY onlineChanged)
    Q_PROPERTY(bool syncedOnce READ syncedOnce NOTIFY onlineChanged)
    Q_PROPERTY(QString lastError READ lastError NOTIFY onlineChanged)
    Q_PROPERTY(int pendingOperations READ pendingOperations NOTIFY changed)
    Q_PROPERTY(int pendingUploads READ pendingUploads NOTIFY changed)
    Q_PROPERTY(int uploadsDone READ uploadsDone NOTIFY changed)
    Q_PROPERTY(int assets READ assets NOTIFY changed)
    Q_PROPERTY(QDateTime lastSyncAt READ lastSyncAt NOTIFY changed)
    // [{id, kind, reason}] and [{sha256, reason}]
    Q_PROPERTY(QVariantList parkedOperations READ parkedOperations NOTIFY changed)
    Q_PROPERTY(QVariantList parkedUploads READ parkedUploads NOTIFY changed)

public:
    explicit StatusController(Session* session, QObject* parent = nullptr);

    bool online() const { return m_online; }
    bool syncedOnce() const { return m_syncedOnce; }
    QString lastError() const { return m_lastError; }
    int pendingOperations() const { return m_pendingOperations; }
    int pendingUploads() const { return m_pendingUploads; }
    int uploadsDone() const { return m_uploadsDone; }
    int assets() const { return m_assets; }
    QDateTime lastSyncAt() const { return m_lastSyncAt; }
    QVariantList parkedOperations() const { return m_parkedOperations; }
    QVariantList parkedUploads() const { return m_parkedUploads; }

    Q_INVOKABLE void refresh();
    Q_INVOKABLE void syncNow();
    Q_INVOKABLE void retryOperation(const QString& opId);
    Q_INVOKABLE void discardOperation(const QString& opId);
    Q_INVOKABLE void retryUpload(const QString& sha256);

signals:
    void changed();
    void onlineChanged();

private:
    struct Snapshot {
        bool ok = false;
        int pendingOperations = 0, pendingUploads = 0, uploadsDone = 0, assets = 0;
        QDateTime lastSyncAt;
        QVariantList parkedOperations, parkedUploads;
    };
    void apply(const Snapshot& s);

    Session* m_session;
    bool m_online = false;
    bool m_syncedOnce = false;
    QString m_lastError;
    int m_pendingOperations = 0, m_pendingUploads = 0, m_uploadsDone = 0, m_assets = 0;
    QDateTime m_lastSyncAt;
    QVariantList m_parkedOperations, m_parkedUploads;
    bool m_refreshing = false, m_refreshAgain = false;
};

} // namespace pinhole::app
