// Edits the user's profile: display name, bio, locked (new followers need approval) and the
// avatar, chosen from the library's photos. Saved online; offline, the reason is shown.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Pinhole
import Pinhole.Core

Page {
    id: page
    objectName: "editProfilePage"
    required property ProfileModel profile
    property string avatarSha256: ""
    signal done()

    Connections {
        target: page.profile
        function onSaved() { page.done() }
    }
    // Set once, not bound: a re-read of the profile (after a sync) must not overwrite typing.
    Component.onCompleted: {
        nameField.text = page.profile.displayName
        bioField.text = page.profile.bio
        lockedSwitch.checked = page.profile.locked
    }

    header: ToolBar {
        Material.elevation: 0
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 12
            anchors.rightMargin: 8
            Label { text: qsTr("Edit profile"); font.pixelSize: 16; Layout.fillWidth: true }
            BusyIndicator { running: page.profile.saving; visible: running; implicitHeight: 32; implicitWidth: 32 }
            Button {
                objectName: "saveProfileButton"
                text: qsTr("Save")
                highlighted: true
                enabled: !page.profile.saving && nameField.text.trim().length > 0
                onClicked: page.profile.saveProfile(nameField.text, bioField.text, lockedSwitch.checked, page.avatarSha256)
            }
        }
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 16
        spacing: 12
        RowLayout {
            spacing: 16
            Item {
                implicitWidth: 96
                implicitHeight: 96
                Avatar {
                    anchors.fill: parent
                    size: 96
                    visible: page.avatarSha256.length === 0
                    source: page.profile.avatar
                    name: nameField.text
                }
                Image {
                    anchors.fill: parent
                    visible: page.avatarSha256.length > 0
                    source: page.avatarSha256.length > 0 ? App.thumbnailUrl(page.avatarSha256) : ""
                    sourceSize.width: 192
                    sourceSize.height: 192
                    fillMode: Image.PreserveAspectCrop
                    autoTransform: true
                }
            }
            ColumnLayout {
                Layout.fillWidth: true
                TextField {
                    id: nameField
                    objectName: "displayNameField"
                    placeholderText: qsTr("Display name")
                    maximumLength: 30
                    Layout.fillWidth: true
                }
                Switch {
                    id: lockedSwitch
                    objectName: "lockedSwitch"
                    text: qsTr("Locked account: approve each new follower")
                }
            }
        }
        TextArea {
            id: bioField
            objectName: "bioField"
            placeholderText: qsTr("Bio")
            wrapMode: TextEdit.Wrap
            Layout.fillWidth: true
            Layout.preferredHeight: 90
        }
        Label {
            visible: page.profile.message.length > 0
            text: page.profile.message
            color: Material.color(Material.Red)
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        Label {
            text: qsTr("Avatar: choose a photo from your library (it is cropped to a square)")
            opacity: 0.7
        }
        GridView {
            id: photos
            objectName: "avatarChoices"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            cellWidth: 104
            cellHeight: 104
            model: App.library
            ScrollBar.vertical: ScrollBar {}
            delegate: Item {
                id: choice
                required property string sha256
                width: 104
                height: 104
                Image {
                    anchors.fill: parent
                    anchors.margins: 4
                    source: App.thumbnailUrl(choice.sha256)
                    sourceSize.width: 192
                    sourceSize.height: 192
                    fillMode: Image.PreserveAspectCrop
                    asynchronous: true
                    autoTransform: true
                }
                Rectangle {
                    anchors.fill: parent
                    anchors.margins: 2
                    color: "transparent"
                    border.width: 3
                    border.color: choice.Material.accent
                    visible: page.avatarSha256 === choice.sha256
                }
                MouseArea {
                    anchors.fill: parent
                    onClicked: page.avatarSha256 = page.avatarSha256 === choice.sha256 ? "" : choice.sha256
                }
            }
        }
    }
}
