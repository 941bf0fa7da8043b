// One notification: who, what, when; a follow request that still waits offers Approve / Reject.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Pinhole

ItemDelegate {
    id: row
    required property string type
    required property string summary
    required property date createdAt
    required property string accountId
    required property string displayName
    required property url avatar
    required property string statusId
    required property bool unread
    required property bool actionable
    signal openProfile(string accountId)
    signal openPost(string statusId)
    signal approve(string accountId)
    signal reject(string accountId)

    onClicked: statusId.length > 0 ? openPost(statusId) : openProfile(accountId)
    background: Rectangle {
        color: row.unread ? Qt.alpha(row.Material.accent, 0.10) : "transparent"
        Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 1; color: Qt.alpha(row.Material.foreground, 0.08) }
    }
    contentItem: RowLayout {
        spacing: 12
        Avatar { source: row.avatar; name: row.displayName; size: 40 }
        ColumnLayout {
            spacing: 2
            Layout.fillWidth: true
            Label {
                text: row.summary
                font.bold: row.unread
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            Label {
                text: row.createdAt.toLocaleString(Qt.locale(), Locale.ShortFormat)
                opacity: 0.6
                font.pixelSize: 12
            }
        }
        Button {
            objectName: "approveButton"
            visible: row.actionable
            text: qsTr("Approve")
            highlighted: true
            onClicked: row.approve(row.accountId)
        }
        Button {
            objectName: "rejectButton"
            visible: row.actionable
            text: qsTr("Reject")
            flat: true
            onClicked: row.reject(row.accountId)
        }
    }
}
