// pinhole: the desktop app. Parses `--server URL`, `--profile DIR` (and `--bench` for
// bench/app.sh), makes the App and loads the QML module.
#include "app.h"
#include "appinfo.h"
#include "images/providers.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QStandardPaths>
#include <QTimer>
#include <QtQml/qqmlextensionplugin.h>

#include <cstdio>

Q_IMPORT_QML_PLUGIN(Pinhole_CorePlugin)
Q_IMPORT_QML_PLUGIN(PinholePlugin)

namespace {
// Resident memory in MiB (Linux: VmRSS of /proc/self/status).
double residentMiB() {
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const auto& line : f.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toDouble() / 1024.0;
    return -1;
}

// --bench: prints the time from launch to the first frame that shows photos in the grid, then
// scrolls the grid to the end page by page and prints the resident memory, as one JSON line.
void benchmark(QQuickWindow* window, pinhole::app::App& app, QElapsedTimer launch) {
    auto firstFrame = std::make_shared<qint64>(-1);
    QObject::connect(window, &QQuickWindow::frameSwapped, window, [window, &app, launch, firstFrame] {
        if (*firstFrame >= 0)
            return;
        auto* grid = window->findChild<QObject*>(QStringLiteral("photoGrid"));
        if (!grid || grid->property("count").toInt() == 0 || app.library()->count() == 0)
            return;
        *firstFrame = launch.elapsed();
        // Scroll to the end, one screen per frame, as a user flinging through would.
        auto* timer = new QTimer(window);
        QObject::connect(timer, &QTimer::timeout, window, [window, grid, timer, firstFrame, &app] {
            const double y = grid->property("contentY").toDouble();
            const double h = grid->property("height").toDouble();
            const double end = grid->property("contentHeight").toDouble() - h;
            if (y + 1 < end && !grid->property("atYEnd").toBool()) {
                grid->setProperty("contentY", std::min(end, y + h));
                return;
            }
            timer->stop();
            std::printf("{\"photos\": %d, \"first_frame_ms\": %lld, \"rss_mib_after_scroll\": %.1f}\n",
                        app.library()->count(), static_cast<long long>(*firstFrame), residentMiB());
            std::fflush(stdout);
            QCoreApplication::quit();
        });
        timer->start(16);
    });
}
} // namespace

int main(int argc, char** argv) {
    QElapsedTimer launch;
    launch.start();
    QGuiApplication app(argc, argv);
    QGuiApplication::setApplicationName("pinhole");
    QGuiApplication::setOrganizationName("Pinhole");
    QGuiApplication::setApplicationVersion(PINHOLE_VERSION);
    // The launcher packaging/desktop/org.pinhole.Pinhole.desktop: Wayland app id and icon.
    QGuiApplication::setDesktopFileName("org.pinhole.Pinhole");

    QCommandLineParser parser;
    parser.setApplicationDescription("Pinhole: your photo library, offline first, shared with the people you choose.");
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption({"server", "The Pinhole server to connect to.", "URL"});
    parser.addOption({"profile", "Where to keep the local library (default: the user's data folder).", "DIR"});
    parser.addPositionalArgument("paths", "Photos or folders to import (as \"Open with Pinhole\").", "[paths...]");
    parser.addOption({"bench", "Print the time to the first grid frame and the memory after scrolling; then quit."});
    parser.process(app);
    pinhole::app::AppInfo::configure(parser.value("server"), parser.value("profile"));
    const QString profile = parser.value("profile").isEmpty()
                                ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
                                : parser.value("profile");

    pinhole::app::App services(profile, parser.value("server"));
    pinhole::app::App::setInstance(&services);
    services.start();
    QStringList toImport;
    for (const auto& path : parser.positionalArguments())
        toImport << QFileInfo(path).absoluteFilePath();
    services.importer()->importPaths(toImport);

    QQuickStyle::setStyle("Material");
    QQmlApplicationEngine engine;
    engine.addImportPath("qrc:/qt/qml");
    pinhole::app::registerImageProviders(engine, services.session(), profile + "/thumbs");
    pinhole::app::App::setThumbnailProviderAvailable(true);
    // Qt 6.4 has no loadFromModule: load the module's Main.qml by its resource URL.
    engine.load(QUrl("qrc:/qt/qml/Pinhole/Main.qml"));
    if (engine.rootObjects().isEmpty())
        return 1;
    if (parser.isSet("bench"))
        if (auto* window = qobject_cast<QQuickWindow*>(engine.rootObjects().first()))
            benchmark(window, services, launch);
    return app.exec();
}
