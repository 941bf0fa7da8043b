// Importing files and folders (the file dialog, or dropped on the window): each path is added
// to the local library on the library thread — the photos appear in the grid at once — and
// its upload is queued; uploads then run in the background (see UploadListModel).
//
// Threading: GUI thread only.
#pragma once

#include "session.h"

#include <QObject>
#include <QUrl>
#include <QtQml/qqmlregistration.h>

namespace pinhole::app {

class ImportController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The importer comes from App.importer")
    Q_PROPERTY(bool importing READ importing NOTIFY progressChanged)
    Q_PROPERTY(int filesDone READ filesDone NOTIFY progressChanged)
    Q_PROPERTY(int filesTotal READ filesTotal NOTIFY progressChanged)
    // What the last import did, for a toast: "12 photos added, 3 already in your library".
    Q_PROPERTY(QString summary READ summary NOTIFY finished)

public:
    explicit ImportController(Session* session, QObject* parent = nullptr);

    bool importing() const { return m_running > 0; }
    int filesDone() const { return m_done; }
    int filesTotal() const { return m_total; }
    QString summary() const { return m_summary; }

    // Local files or folders (file:// URLs, as a dialog or a drop gives them).
    Q_INVOKABLE void importUrls(const QList<QUrl>& urls);
    Q_INVOKABLE void importPaths(const QStringList& paths);

signals:
    void progressChanged();
    void finished();

private:
    struct Totals {
        int added = 0, duplicates = 0, skipped = 0;
        QStringList errors;
    };
    void importBatch(QStringList files, int from);
    void finish();

    Session* m_session;
    Totals m_totals;
    int m_running = 0;
    int m_done = 0, m_total = 0;
    QString m_summary;
};

} // namespace pinhole::app
