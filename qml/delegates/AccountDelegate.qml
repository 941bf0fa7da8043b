// An account in a list (followers, following, search results): avatar, name, @username.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Pinhole

ItemDelegate {
    id: row
    required property string accountId
    required property string username
    required property string displayName
    required property url avatar
    signal openProfile(string accountId)

    onClicked: openProfile(accountId)
    contentItem: RowLayout {
        spacing: 12
        Avatar { source: row.avatar; name: row.displayName; size: 40 }
        ColumnLayout {
            spacing: 0
            Layout.fillWidth: true
            Label { text: row.displayName; font.bold: true; elide: Text.ElideRight; Layout.fillWidth: true }
            Label { text: "@" + row.username; opacity: 0.7; elide: Text.ElideRight; Layout.fillWidth: true }
        }
    }
}
