// The window's footer: online or offline, what waits to sync, the last sync time, and the
// upload progress while photos upload.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Pinhole.Core

ToolBar {
    id: bar
    objectName: "statusBar"
    signal showUploads()
    signal showSettings()
    Material.elevation: 0
    height: 32

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: 12
        anchors.rightMargin: 12
        spacing: 16

        Rectangle {
            width: 10
            height: 10
            radius: 5
            color: !App.status.syncedOnce ? "grey" : App.status.online ? Material.color(Material.Green)
                                                                        : Material.color(Material.Orange)
        }
        Label {
            objectName: "onlineLabel"
            text: !App.status.syncedOnce ? qsTr("Connecting…") : App.status.online ? qsTr("Online") : qsTr("Offline")
        }
        Label {
            text: App.library.count === 1 ? qsTr("1 photo") : qsTr("%1 photos").arg(App.library.count)
            opacity: 0.7
        }
        Label {
            objectName: "pendingLabel"
            visible: App.status.pendingOperations + App.status.pendingUploads > 0
            text: qsTr("%1 changes, %2 uploads waiting").arg(App.status.pendingOperations).arg(App.status.pendingUploads)
            opacity: 0.7
            MouseArea { anchors.fill: parent; onClicked: bar.showUploads() }
        }
        Label {
            visible: App.status.parkedOperations.length + App.status.parkedUploads.length > 0
            text: qsTr("%1 refused").arg(App.status.parkedOperations.length + App.status.parkedUploads.length)
            color: Material.color(Material.Red)
            MouseArea { anchors.fill: parent; onClicked: bar.showSettings() }
        }
        ProgressBar {
            visible: App.uploads.active || App.importer.importing
            value: App.uploads.overallProgress
            Layout.preferredWidth: 160
            MouseArea { anchors.fill: parent; onClicked: bar.showUploads() }
        }
        Item { Layout.fillWidth: true }
        Label {
            text: App.status.lastSyncAt.getTime() > 0
                  ? qsTr("Synced %1").arg(App.status.lastSyncAt.toLocaleTimeString(Qt.locale(), Locale.ShortFormat))
                  : ""
            opacity: 0.6
        }
    }
}
