#include "status/statuscontroller.h"

#include <QVariantMap>

namespace pinhole::app {

StatusController::StatusController(Session* session, QObject* parent) : QObject(parent), m_session(session) {
    connect(m_session, &Session::statusChanged, this, &StatusController::refresh);
    connect(m_session, &Session::syncFinished, this, [this](bool ok, bool unreachable, const QString& error) {
        m_syncedOnce = true;
        // Reached but refused (a parked batch, a 401) is online; only no answer is offline.
        m_online = ok || !unreachable;
        m_lastError = ok ? QString() : error;
        emit onlineChanged();
    });
}

void StatusController::refresh() {
    if (m_refreshing) {
        m_refreshAgain = true;
        return;
    }
    m_refreshing = true;
    m_session->call<Snapshot>(
        [](sync::Engine& engine) {
            Snapshot s;
            auto status = engine.status();
            if (!status)
                return s;
            s.ok = true;
            s.pendingOperations = status->operations.queued + status->operations.sending;
            s.pendingUploads = status->uploadsPending;
            s.uploadsDone = status->uploadsDone;
            s.assets = status->assets;
            if (status->lastSyncAt)
                s.lastSyncAt = QDateTime::fromMSecsSinceEpoch(qint64(*status->lastSyncAt));
            for (const auto& op : status->parkedOperations)
                s.parkedOperations.append(QVariantMap{{"id", QString::fromStdString(op.id)},
                                                      {"kind", QString::fromStdString(op.kind)},
                                                      {"reason", QString::fromStdString(op.reason.value_or(""))}});
            for (const auto& up : status->parkedUploads)
                s.parkedUploads.append(QVariantMap{{"sha256", QString::fromStdString(up.sha256)},
                                                   {"reason", QString::fromStdString(up.reason)}});
            return s;
        },
        this,
        [this](Snapshot s) {
            m_refreshing = false;
            if (s.ok)
                apply(s);
            if (m_refreshAgain) {
                m_refreshAgain = false;
                refresh();
            }
        });
}

void StatusController::apply(const Snapshot& s) {
    m_pendingOperations = s.pendingOperations;
    m_pendingUploads = s.pendingUploads;
    m_uploadsDone = s.uploadsDone;
    m_assets = s.assets;
    m_lastSyncAt = s.lastSyncAt;
    m_parkedOperations = s.parkedOperations;
    m_parkedUploads = s.parkedUploads;
    emit changed();
}

void StatusController::syncNow() {
    m_session->syncNow();
}

void StatusController::retryOperation(const QString& opId) {
    m_session->edit([id = opId.toStdString()](sync::Engine& engine) { return engine.retryOperation(id); });
}

void StatusController::discardOperation(const QString& opId) {
    m_session->edit([id = opId.toStdString()](sync::Engine& engine) { return engine.discardOperation(id); });
}

void StatusController::retryUpload(const QString& sha256) {
    m_session->edit([sha = sha256.toStdString()](sync::Engine& engine) { return engine.retryUpload(sha); });
}

} // namespace pinhole::app
