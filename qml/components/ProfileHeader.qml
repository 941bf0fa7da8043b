// The head of a profile page: avatar, name, counts, bio, the follow button in its state, and a
// refused action's or failed save's reason.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Pinhole
import Pinhole.Core

ColumnLayout {
    id: header
    required property ProfileModel profile
    signal openList(int kind)
    signal editProfile()

    spacing: 8
    Item { implicitHeight: 8 }
    RowLayout {
        spacing: 20
        Layout.leftMargin: 12
        Layout.rightMargin: 12
        Avatar {
            objectName: "profileAvatar"
            source: header.profile.avatar
            name: header.profile.displayName
            size: 96
        }
        ColumnLayout {
            spacing: 4
            Layout.fillWidth: true
            RowLayout {
                Label {
                    text: header.profile.displayName
                    font.pixelSize: 22
                    font.bold: true
                    elide: Text.ElideRight
                }
                Label {
                    visible: header.profile.locked
                    text: qsTr("locked")
                    opacity: 0.7
                    ToolTip.visible: lockArea.containsMouse
                    ToolTip.text: qsTr("New followers need approval")
                    MouseArea { id: lockArea; anchors.fill: parent; hoverEnabled: true }
                }
            }
            Label {
                text: "@" + header.profile.username + (header.profile.followsMe ? "  · " + qsTr("follows you") : "")
                opacity: 0.7
            }
            RowLayout {
                spacing: 18
                Label { text: qsTr("<b>%1</b> posts").arg(header.profile.posts); textFormat: Text.StyledText }
                Label {
                    text: qsTr("<b>%1</b> followers").arg(header.profile.followers)
                    textFormat: Text.StyledText
                    font.underline: header.profile.isMe && followersArea.containsMouse
                    MouseArea {
                        id: followersArea
                        anchors.fill: parent
                        enabled: header.profile.isMe
                        hoverEnabled: true
                        cursorShape: enabled ? Qt.PointingHandCursor : Qt.ArrowCursor
                        onClicked: header.openList(AccountListModel.Followers)
                    }
                }
                Label {
                    text: qsTr("<b>%1</b> following").arg(header.profile.following)
                    textFormat: Text.StyledText
                    font.underline: header.profile.isMe && followingArea.containsMouse
                    MouseArea {
                        id: followingArea
                        anchors.fill: parent
                        enabled: header.profile.isMe
                        hoverEnabled: true
                        cursorShape: enabled ? Qt.PointingHandCursor : Qt.ArrowCursor
                        onClicked: header.openList(AccountListModel.Following)
                    }
                }
            }
        }
        Button {
            objectName: "followButton"
            visible: header.profile.found && header.profile.relation !== ProfileModel.Blocked
            highlighted: header.profile.relation === ProfileModel.NotFollowing
            enabled: !header.profile.pending || header.profile.relation !== ProfileModel.Self
            text: {
                switch (header.profile.relation) {
                case ProfileModel.Self: return qsTr("Edit profile")
                case ProfileModel.Following: return header.profile.pending ? qsTr("Following…") : qsTr("Unfollow")
                case ProfileModel.Requested: return header.profile.pending ? qsTr("Requested…") : qsTr("Cancel request")
                default: return header.profile.locked ? qsTr("Request to follow") : qsTr("Follow")
                }
            }
            onClicked: {
                switch (header.profile.relation) {
                case ProfileModel.Self: header.editProfile(); break
                case ProfileModel.Following: header.profile.unfollow(); break
                case ProfileModel.Requested: header.profile.cancelRequest(); break
                default: header.profile.follow()
                }
            }
        }
    }
    Label {
        visible: header.profile.bio.length > 0
        text: header.profile.bio
        textFormat: Text.PlainText
        wrapMode: Text.Wrap
        Layout.fillWidth: true
        Layout.leftMargin: 12
        Layout.rightMargin: 12
    }
    Label {
        visible: header.profile.relation === ProfileModel.Blocked
        text: qsTr("You cannot follow this account.")
        opacity: 0.7
        Layout.leftMargin: 12
    }
    // A refused follow (reverted) or a failed save, with the server's reason.
    Pane {
        objectName: "profileMessage"
        visible: header.profile.message.length > 0
        Layout.fillWidth: true
        Layout.leftMargin: 12
        Layout.rightMargin: 12
        Material.background: Qt.alpha(Material.color(Material.Red), 0.15)
        RowLayout {
            anchors.fill: parent
            Label { text: header.profile.message; wrapMode: Text.Wrap; Layout.fillWidth: true }
            ToolButton { text: "✕"; onClicked: header.profile.clearMessage() }
        }
    }
    MenuSeparator { Layout.fillWidth: true }
}
