// Settings: the server and account, sync state with the parked failures (retry or discard),
// the media cache (budget, usage, clear), the theme, and sign out.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Pinhole
import Pinhole.Core

Page {
    id: page
    objectName: "settingsPage"
    onVisibleChanged: if (visible) App.cache.refresh()
    Component.onCompleted: App.cache.refresh()

    ScrollView {
        anchors.fill: parent
        contentWidth: availableWidth

        ColumnLayout {
            width: Math.min(parent.width - 48, 720)
            x: 24
            spacing: 10

            Label { text: qsTr("Account"); font.pixelSize: 20; Layout.topMargin: 16 }
            Label { text: qsTr("Server: %1").arg(App.account.serverUrl); objectName: "settingsServer" }
            Label { text: qsTr("Signed in as %1").arg(App.account.username) }
            Button {
                text: qsTr("Sign out")
                onClicked: App.account.signOut()
            }

            Label { text: qsTr("Sync"); font.pixelSize: 20; Layout.topMargin: 16 }
            Label {
                text: App.status.online ? qsTr("Online") : qsTr("Offline")
                color: App.status.online ? Material.color(Material.Green) : Material.color(Material.Orange)
            }
            Label {
                text: App.status.lastSyncAt.getTime() > 0
                      ? qsTr("Last synced %1").arg(App.status.lastSyncAt.toLocaleString(Qt.locale(), Locale.ShortFormat))
                      : qsTr("Not synced yet")
            }
            Label {
                text: qsTr("%1 changes and %2 uploads waiting").arg(App.status.pendingOperations).arg(App.status.pendingUploads)
            }
            Label {
                visible: App.status.lastError.length > 0
                text: App.status.lastError
                wrapMode: Text.Wrap
                Layout.fillWidth: true
                opacity: 0.7
            }
            Button { text: qsTr("Sync now"); onClicked: App.status.syncNow() }

            Label {
                visible: App.status.parkedOperations.length + App.status.parkedUploads.length > 0
                text: qsTr("Changes the server refused")
                font.pixelSize: 16
                Layout.topMargin: 8
            }
            Repeater {
                model: App.status.parkedOperations
                delegate: RowLayout {
                    required property var modelData
                    Layout.fillWidth: true
                    Label {
                        text: qsTr("%1: %2").arg(modelData.kind).arg(modelData.reason)
                        wrapMode: Text.Wrap
                        Layout.fillWidth: true
                    }
                    Button { text: qsTr("Retry"); flat: true; onClicked: App.status.retryOperation(modelData.id) }
                    Button { text: qsTr("Discard"); flat: true; onClicked: App.status.discardOperation(modelData.id) }
                }
            }
            Repeater {
                model: App.status.parkedUploads
                delegate: RowLayout {
                    required property var modelData
                    Layout.fillWidth: true
                    Label {
                        text: qsTr("Upload %1: %2").arg(modelData.sha256.substring(0, 12)).arg(modelData.reason)
                        wrapMode: Text.Wrap
                        Layout.fillWidth: true
                    }
                    Button { text: qsTr("Retry"); flat: true; onClicked: App.status.retryUpload(modelData.sha256) }
                }
            }

            Label { text: qsTr("Cache"); font.pixelSize: 20; Layout.topMargin: 16 }
            Label {
                objectName: "cacheUsage"
                text: App.cache.loaded ? App.cache.usageText : qsTr("Reading the cache…")
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            RowLayout {
                Label { text: qsTr("Keep up to") }
                SpinBox {
                    id: budget
                    objectName: "cacheBudget"
                    from: 0
                    to: 1024 * 1024
                    stepSize: 256
                    editable: true
                    value: App.cache.budgetMiB
                    onValueModified: App.cache.setBudgetMiB(value)
                }
                Label { text: qsTr("MiB of previews and originals (least recently viewed go first)") }
            }
            Button {
                text: qsTr("Clear cache")
                onClicked: App.cache.clear()
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Pinned albums stay available offline")
            }

            Label { text: qsTr("Appearance"); font.pixelSize: 20; Layout.topMargin: 16 }
            RowLayout {
                RadioButton {
                    text: qsTr("Follow the system")
                    checked: App.theme === App.System
                    onClicked: App.theme = App.System
                }
                RadioButton {
                    text: qsTr("Light")
                    checked: App.theme === App.Light
                    onClicked: App.theme = App.Light
                }
                RadioButton {
                    text: qsTr("Dark")
                    checked: App.theme === App.Dark
                    onClicked: App.theme = App.Dark
                }
            }
            Label {
                text: qsTr("Pinhole %1 · library in %2").arg(AppInfo.version).arg(AppInfo.profileDir)
                opacity: 0.5
                Layout.topMargin: 16
                Layout.bottomMargin: 16
            }
        }
    }
}
