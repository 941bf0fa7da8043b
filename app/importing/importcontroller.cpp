#include "importing/importcontroller.h"

#include <QDirIterator>
#include <QFileInfo>

namespace pinhole::app {

namespace {
// Files are imported in batches, so the grid shows the first photos while the rest are read.
constexpr int kBatch = 64;
} // namespace

ImportController::ImportController(Session* session, QObject* parent) : QObject(parent), m_session(session) {}

void ImportController::importUrls(const QList<QUrl>& urls) {
    QStringList paths;
    for (const auto& url : urls)
        if (url.isLocalFile())
            paths << url.toLocalFile();
    importPaths(paths);
}

void ImportController::importPaths(const QStringList& paths) {
    if (paths.isEmpty())
        return;
    if (m_running++ == 0) {
        m_done = m_total = 0;
        m_totals = {};
    }
    emit progressChanged();
    // Listing a folder touches the disk: on the library thread.
    m_session->call<QStringList>(
        [paths](sync::Engine&) {
            QStringList files;
            for (const auto& path : paths) {
                if (!QFileInfo(path).isDir()) {
                    files << path;
                    continue;
                }
                QStringList inFolder;
                QDirIterator it(path, QDir::Files, QDirIterator::Subdirectories);
                while (it.hasNext())
                    inFolder << it.next();
                inFolder.sort(); // a stable order, as the library's own import
                files << inFolder;
            }
            return files;
        },
        this,
        [this](QStringList files) {
            m_total += int(files.size());
            emit progressChanged();
            importBatch(std::move(files), 0);
        });
}

void ImportController::importBatch(QStringList files, int from) {
    const QStringList batch = files.mid(from, kBatch);
    m_session->call<Totals>(
        [batch](sync::Engine& engine) {
            Totals t;
            for (const auto& file : batch) {
                auto report = engine.library().importPath(file.toStdString());
                if (!report) {
                    t.errors << QString::fromStdString(report.status().message());
                    continue;
                }
                t.added += report->newAssets;
                t.duplicates += report->duplicates;
                t.skipped += report->skipped;
                for (const auto& e : report->errors)
                    t.errors << QString::fromStdString(e);
            }
            return t;
        },
        this,
        [this, files = std::move(files), from, n = int(batch.size())](Totals t) mutable {
            m_done += n;
            m_totals.added += t.added;
            m_totals.duplicates += t.duplicates;
            m_totals.skipped += t.skipped;
            m_totals.errors << t.errors;
            emit progressChanged();
            m_session->announceLibraryChanged(); // the grid shows this batch now
            if (from + n < files.size()) {
                importBatch(std::move(files), from + n);
                return;
            }
            if (--m_running == 0)
                finish();
        });
}

void ImportController::finish() {
    QStringList parts;
    parts << (m_totals.added == 1 ? tr("1 photo added") : tr("%1 photos added").arg(m_totals.added));
    if (m_totals.duplicates)
        parts << tr("%1 already in your library").arg(m_totals.duplicates);
    if (m_totals.skipped)
        parts << tr("%1 not a photo").arg(m_totals.skipped);
    if (!m_totals.errors.isEmpty())
        parts << tr("%1 could not be read (%2)").arg(m_totals.errors.size()).arg(m_totals.errors.first());
    m_summary = parts.join(QStringLiteral(", "));
    m_session->syncNow(); // start the uploads now
    emit progressChanged();
    emit finished();
}

} // namespace pinhole::app
