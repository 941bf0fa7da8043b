// The notifications, newest first; shown = read (the badge on the tool bar goes to zero).
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Pinhole
import Pinhole.Core

Page {
    id: page
    objectName: "notificationsPage"
    signal openProfile(string accountId)
    signal openPost(string statusId)

    // Read once the user has seen the page (also when new ones arrive while it is open).
    function markSeen() {
        if (page.visible && App.notifications.unreadCount > 0)
            App.notifications.markAllRead()
    }
    onVisibleChanged: markSeen()
    Component.onCompleted: { App.notifications.reload(); markSeen() }
    Connections {
        target: App.notifications
        function onUnreadCountChanged() { page.markSeen() }
    }

    header: ToolBar {
        Material.elevation: 0
        Label {
            anchors.verticalCenter: parent.verticalCenter
            x: 12
            text: qsTr("Notifications")
            font.pixelSize: 16
        }
    }

    ListView {
        id: list
        objectName: "notificationList"
        anchors.fill: parent
        clip: true
        model: App.notifications
        ScrollBar.vertical: ScrollBar {}
        delegate: NotificationDelegate {
            width: list.width
            onOpenProfile: accountId => page.openProfile(accountId)
            onOpenPost: statusId => page.openPost(statusId)
            onApprove: accountId => App.notifications.approve(accountId)
            onReject: accountId => App.notifications.reject(accountId)
        }
        Label {
            anchors.centerIn: parent
            visible: list.count === 0 && !App.notifications.loading
            text: qsTr("No notifications yet. Follows, likes and comments will show here.")
            opacity: 0.6
        }
    }
}
