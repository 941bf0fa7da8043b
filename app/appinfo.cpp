#include "appinfo.h"

#include <QStandardPaths>

namespace pinhole::app {

namespace {
QString g_serverUrl;
QString g_profileDir;
} // namespace

void AppInfo::configure(QString serverUrl, QString profileDir) {
    g_serverUrl = std::move(serverUrl);
    g_profileDir = std::move(profileDir);
}

AppInfo::AppInfo(QObject* parent)
    : QObject(parent), m_serverUrl(g_serverUrl),
      m_profileDir(g_profileDir.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
                                          : g_profileDir) {}

} // namespace pinhole::app
