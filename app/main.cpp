// pinhole: the desktop app. Parses `--server URL` and `--profile DIR`, loads the QML module.
#include "appinfo.h"

#include <QCommandLineParser>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQuickStyle>
#include <QtQml/qqmlextensionplugin.h>

Q_IMPORT_QML_PLUGIN(Pinhole_CorePlugin)
Q_IMPORT_QML_PLUGIN(PinholePlugin)

int main(int argc, char** argv) {
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
    parser.process(app);
    pinhole::app::AppInfo::configure(parser.value("server"), parser.value("profile"));

    QQuickStyle::setStyle("Material");
    QQmlApplicationEngine engine;
    engine.addImportPath("qrc:/qt/qml");
    // Qt 6.4 has no loadFromModule: load the module's Main.qml by its resource URL.
    engine.load(QUrl("qrc:/qt/qml/Pinhole/Main.qml"));
    if (engine.rootObjects().isEmpty())
        return 1;
    return app.exec();
}
