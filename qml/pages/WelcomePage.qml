// First page: what Pinhole is and which server this session is pointed at.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Pinhole.Core

Page {
    objectName: "welcomePage"

    ColumnLayout {
        anchors.centerIn: parent
        spacing: 12

        Label {
            Layout.alignment: Qt.AlignHCenter
            text: qsTr("Pinhole")
            font.pixelSize: 40
            font.weight: Font.Light
        }
        Label {
            Layout.alignment: Qt.AlignHCenter
            text: qsTr("Your photos, on your computer first, shared with the people you choose.")
            opacity: 0.7
        }
        Label {
            objectName: "serverLabel"
            Layout.alignment: Qt.AlignHCenter
            text: AppInfo.serverUrl.length > 0 ? qsTr("Server: %1").arg(AppInfo.serverUrl)
                                               : qsTr("No server chosen")
        }
        Label {
            Layout.alignment: Qt.AlignHCenter
            text: qsTr("Version %1").arg(AppInfo.version)
            opacity: 0.5
        }
    }
}
