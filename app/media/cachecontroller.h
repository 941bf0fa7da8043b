// The media cache as the settings page shows it: the budget for previews and originals (MiB),
// what the cache holds, and "clear cache" (pinned albums' photos stay). Reads and writes run on
// the library thread (Session::call): the cache is on disk.
//
// Threading: GUI thread only.
#pragma once

#include "session.h"

#include <QObject>
#include <QtQml/qqmlregistration.h>

namespace pinhole::app {

class CacheController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The cache comes from App.cache")
    Q_PROPERTY(int budgetMiB READ budgetMiB NOTIFY changed)
    Q_PROPERTY(qint64 usedBytes READ usedBytes NOTIFY changed)
    Q_PROPERTY(qint64 pinnedBytes READ pinnedBytes NOTIFY changed)
    // "312 MB of 2 GB for previews and originals · 40 MB pinned · 12 MB thumbnails"
    Q_PROPERTY(QString usageText READ usageText NOTIFY changed)
    Q_PROPERTY(bool loaded READ loaded NOTIFY changed)

public:
    static constexpr int kMaxBudgetMiB = 1024 * 1024; // 1 TiB

    explicit CacheController(Session* session, QObject* parent = nullptr);

    int budgetMiB() const { return int(m_usage.budgetBytes >> 20); }
    qint64 usedBytes() const { return m_usage.thumbBytes + m_usage.pinnedBytes + m_usage.evictableBytes; }
    qint64 pinnedBytes() const { return m_usage.pinnedBytes; }
    QString usageText() const;
    bool loaded() const { return m_loaded; }

    // Re-reads the usage (the settings page calls it when shown).
    Q_INVOKABLE void refresh();
    // Sets the budget (0..kMaxBudgetMiB) and evicts down to it; stored in the profile.
    Q_INVOKABLE void setBudgetMiB(int mib);
    // Removes every cached file but those of pinned albums' photos.
    Q_INVOKABLE void clear();

signals:
    void changed();

private:
    // Runs `task` on the media cache on the library thread, then shows the usage it leaves.
    void change(std::function<sync::Status(sync::MediaCache&)> task);

    Session* m_session;
    sync::CacheUsage m_usage;
    bool m_loaded = false;
};

} // namespace pinhole::app
