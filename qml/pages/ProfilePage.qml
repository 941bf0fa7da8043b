// An account's profile: avatar, name, bio, counts, the follow button in its state (follow,
// requested, following, pending) and the grid of its posts; the user's own has "Edit profile"
// and opens its followers and following lists.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Pinhole
import Pinhole.Core

Page {
    id: page
    objectName: "profilePage"
    required property ProfileModel profile
    signal openPost(string postId)
    signal openList(int kind)
    signal editProfile()

    ProfileHeader {
        id: header
        anchors.top: parent.top
        anchors.left: parent.left
        anchors.right: parent.right
        profile: page.profile
        onOpenList: kind => page.openList(kind)
        onEditProfile: page.editProfile()
    }

    GridView {
        id: grid
        objectName: "profilePosts"
        anchors.top: header.bottom
        anchors.bottom: parent.bottom
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.leftMargin: 8
        clip: true
        model: page.profile
        readonly property int columns: Math.max(2, Math.floor(width / 200))
        cellWidth: Math.floor(width / columns)
        cellHeight: cellWidth
        ScrollBar.vertical: ScrollBar {}

        delegate: PostCellDelegate {
            width: grid.cellWidth
            height: grid.cellHeight
            onOpened: postId => page.openPost(postId)
        }

        Label {
            anchors.centerIn: parent
            visible: grid.count === 0 && !page.profile.loading
            text: page.profile.found ? qsTr("No posts yet.") : qsTr("This account is not known here yet.")
            opacity: 0.6
        }
    }
}
