#include "media/cachecontroller.h"

#include <QLocale>

namespace pinhole::app {

namespace {
// The usage as read on the library thread, or why it could not be read or changed.
struct UsageRead {
    sync::CacheUsage usage;
    QString error;
};

UsageRead readUsage(sync::MediaCache& cache) {
    auto usage = cache.usage();
    if (!usage)
        return {{}, QString::fromStdString(usage.status().message())};
    return {*usage, {}};
}
} // namespace

CacheController::CacheController(Session* session, QObject* parent) : QObject(parent), m_session(session) {}

QString CacheController::usageText() const {
    const QLocale locale;
    return tr("%1 of %2 for previews and originals · %3 pinned · %4 thumbnails")
        .arg(locale.formattedDataSize(m_usage.evictableBytes), locale.formattedDataSize(m_usage.budgetBytes),
             locale.formattedDataSize(m_usage.pinnedBytes), locale.formattedDataSize(m_usage.thumbBytes));
}

void CacheController::refresh() {
    change({});
}

void CacheController::setBudgetMiB(int mib) {
    const qint64 bytes = qint64(std::clamp(mib, 0, kMaxBudgetMiB)) << 20;
    change([bytes](sync::MediaCache& cache) { return cache.setBudget(bytes); });
}

void CacheController::clear() {
    change([](sync::MediaCache& cache) { return cache.clear(); });
}

void CacheController::change(std::function<sync::Status(sync::MediaCache&)> task) {
    m_session->call<UsageRead>(
        [task = std::move(task)](sync::Engine& engine) -> UsageRead {
            if (task) {
                const sync::Status status = task(*engine.media());
                if (!status)
                    return {{}, QString::fromStdString(status.message())};
            }
            return readUsage(*engine.media());
        },
        this,
        [this](const UsageRead& read) {
            if (!read.error.isEmpty()) {
                emit m_session->editFailed(read.error);
                return;
            }
            m_usage = read.usage;
            m_loaded = true;
            emit changed();
        });
}

} // namespace pinhole::app
