// Import and upload progress: the import under way, the overall upload bar, and every file
// (queued, uploading with its percentage, done, or failed with the reason and a retry).
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Pinhole
import Pinhole.Core

Page {
    id: page
    objectName: "uploadsPage"
    signal importRequested()

    header: ToolBar {
        Material.elevation: 0
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 12
            Label {
                text: App.importer.importing
                      ? qsTr("Importing %1 of %2…").arg(App.importer.filesDone).arg(App.importer.filesTotal)
                      : App.uploads.active
                        ? qsTr("Uploading: %1 of %2 done").arg(App.uploads.finishedCount).arg(App.uploads.count)
                        : App.uploads.count > 0 ? qsTr("All uploads finished") : qsTr("Nothing to upload")
                font.pixelSize: 16
                Layout.fillWidth: true
            }
            ToolButton { text: qsTr("Import…"); onClicked: page.importRequested() }
            ToolButton {
                text: qsTr("Clear finished")
                enabled: App.uploads.finishedCount > 0
                onClicked: App.uploads.clearFinished()
            }
        }
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 12
        spacing: 8

        Label {
            visible: App.importer.summary.length > 0
            text: App.importer.summary
            opacity: 0.7
        }
        ProgressBar {
            objectName: "overallUploadProgress"
            Layout.fillWidth: true
            value: App.importer.importing && App.importer.filesTotal > 0
                   ? App.importer.filesDone / App.importer.filesTotal : App.uploads.overallProgress
        }
        Label {
            visible: !App.status.online && App.status.syncedOnce && App.uploads.active
            text: qsTr("Offline: uploads continue when the server can be reached.")
            color: Material.color(Material.Orange)
        }
        ListView {
            id: list
            objectName: "uploadList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: App.uploads
            delegate: UploadDelegate {
                width: list.width
                onRetryRequested: App.uploads.retry(sha256)
            }
            ScrollBar.vertical: ScrollBar {}
        }
    }
}
