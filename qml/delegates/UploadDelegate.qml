// One file in the upload list.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Pinhole.Core

ItemDelegate {
    id: upload

    required property string sha256
    required property string fileName
    required property int state
    required property real progress
    required property string reason
    signal retryRequested()

    height: 52
    contentItem: RowLayout {
        spacing: 12
        Image {
            Layout.preferredWidth: 40
            Layout.preferredHeight: 40
            source: App.thumbnailUrl(upload.sha256)
            sourceSize.width: 80
            sourceSize.height: 80
            fillMode: Image.PreserveAspectCrop
            asynchronous: true
            autoTransform: true
        }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 2
            Label {
                text: upload.fileName.length > 0 ? upload.fileName : upload.sha256.substring(0, 12)
                elide: Text.ElideMiddle
                Layout.fillWidth: true
            }
            Label {
                text: {
                    switch (upload.state) {
                    case UploadListModel.Queued: return qsTr("Queued")
                    case UploadListModel.Uploading: return qsTr("Uploading… %1%").arg(Math.round(upload.progress * 100))
                    case UploadListModel.Done: return qsTr("Uploaded")
                    default: return qsTr("Failed: %1").arg(upload.reason)
                    }
                }
                color: upload.state === UploadListModel.Failed ? Material.color(Material.Red) : upload.Material.foreground
                opacity: upload.state === UploadListModel.Failed ? 1 : 0.65
                elide: Text.ElideRight
                Layout.fillWidth: true
            }
        }
        ProgressBar {
            visible: upload.state === UploadListModel.Uploading
            value: upload.progress
            Layout.preferredWidth: 120
        }
        Button {
            visible: upload.state === UploadListModel.Failed
            text: qsTr("Retry")
            flat: true
            onClicked: upload.retryRequested()
        }
    }
}
