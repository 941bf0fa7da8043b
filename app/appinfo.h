// What the app knows about itself and its session at start: version, the server it talks to
// and the profile directory (from `pinhole [--server URL] [--profile DIR]`). A QML singleton;
// lives on the GUI thread.
#pragma once

#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>

namespace pinhole::app {

class AppInfo : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    Q_PROPERTY(QString version READ version CONSTANT)
    Q_PROPERTY(QString serverUrl READ serverUrl NOTIFY serverUrlChanged)
    Q_PROPERTY(QString profileDir READ profileDir CONSTANT)

public:
    explicit AppInfo(QObject* parent = nullptr);

    // Set from the command line before QML is loaded.
    static void configure(QString serverUrl, QString profileDir);

    QString version() const { return QStringLiteral(PINHOLE_VERSION); }
    QString serverUrl() const { return m_serverUrl; }
    QString profileDir() const { return m_profileDir; }

signals:
    void serverUrlChanged();

private:
    QString m_serverUrl;
    QString m_profileDir;
};

} // namespace pinhole::app
