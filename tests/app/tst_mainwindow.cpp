// The app's QML loads from the static modules (as main.cpp loads it) and shows the window with
// the server it was given.
#include "appinfo.h"

#include <QQmlApplicationEngine>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QTest>
#include <QtQml/qqmlextensionplugin.h>

Q_IMPORT_QML_PLUGIN(Pinhole_CorePlugin)
Q_IMPORT_QML_PLUGIN(PinholePlugin)

class TestMainWindow : public QObject {
    Q_OBJECT
private slots:
    void loadsAndShowsTheServer() {
        pinhole::app::AppInfo::configure("http://127.0.0.1:8470", QDir::tempPath());
        QQuickStyle::setStyle("Material");
        QQmlApplicationEngine engine;
        engine.addImportPath("qrc:/qt/qml");
        engine.load(QUrl("qrc:/qt/qml/Pinhole/Main.qml"));
        QCOMPARE(engine.rootObjects().size(), 1);
        auto* window = qobject_cast<QQuickWindow*>(engine.rootObjects().first());
        QVERIFY(window);
        QCOMPARE(window->title(), QString("Pinhole"));
        QVERIFY(QTest::qWaitForWindowExposed(window));
        auto* label = window->findChild<QObject*>("serverLabel");
        QVERIFY(label);
        QVERIFY(label->property("text").toString().contains("127.0.0.1:8470"));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
