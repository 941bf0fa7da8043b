// The user's followers or the accounts the user follows.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import Pinhole
import Pinhole.Core

Page {
    id: page
    objectName: "accountListPage"
    required property AccountListModel accounts
    signal openProfile(string accountId)

    header: ToolBar {
        Material.elevation: 0
        Label {
            anchors.verticalCenter: parent.verticalCenter
            x: 12
            font.pixelSize: 16
            text: page.accounts.kind === AccountListModel.Followers ? qsTr("Followers")
                : page.accounts.kind === AccountListModel.Following ? qsTr("Following")
                : qsTr("Follow requests")
        }
    }
    ListView {
        id: list
        anchors.fill: parent
        clip: true
        model: page.accounts
        ScrollBar.vertical: ScrollBar {}
        delegate: AccountDelegate {
            width: list.width
            onOpenProfile: accountId => page.openProfile(accountId)
        }
        Label {
            anchors.centerIn: parent
            visible: list.count === 0 && !page.accounts.loading
            text: page.accounts.kind === AccountListModel.Followers ? qsTr("No followers yet.") : qsTr("Nobody here yet.")
            opacity: 0.6
        }
    }
}
