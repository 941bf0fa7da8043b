// An album in the albums page: its cover, name and count, whether it is pinned for offline use
// (and how many of its photos are offline yet); a menu to pin, rename or delete it.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import Pinhole.Core

ItemDelegate {
    id: album

    required property string albumId
    required property string name
    required property int photoCount
    required property string cover
    required property bool pinned
    required property int offlineCount
    signal opened()
    signal pinToggled()
    signal renameRequested()
    signal deleteRequested()

    width: 192
    height: 232
    onClicked: opened()

    contentItem: Column {
        spacing: 6
        Rectangle {
            width: 176
            height: 176
            radius: 6
            clip: true
            color: album.Material.theme === Material.Dark ? "#2b2b2b" : "#e4e4e4"
            Image {
                anchors.fill: parent
                visible: album.cover.length > 0
                source: album.cover.length > 0 ? App.thumbnailUrl(album.cover) : ""
                sourceSize.width: 352
                sourceSize.height: 352
                fillMode: Image.PreserveAspectCrop
                asynchronous: true
                autoTransform: true
            }
        }
        Label {
            text: album.name
            width: 176
            elide: Text.ElideRight
            font.weight: Font.DemiBold
        }
        Label {
            text: album.photoCount === 1 ? qsTr("1 photo") : qsTr("%1 photos").arg(album.photoCount)
            opacity: 0.6
        }
        Label {
            objectName: "pinState"
            visible: album.pinned
            text: album.offlineCount >= album.photoCount
                  ? qsTr("Pinned · available offline")
                  : qsTr("Pinned · downloading %1 of %2…").arg(album.offlineCount).arg(album.photoCount)
            color: album.Material.accent
            font.pixelSize: 12
        }
    }

    TapHandler {
        acceptedButtons: Qt.RightButton
        onTapped: menu.popup()
    }
    Menu {
        id: menu
        MenuItem {
            text: album.pinned ? qsTr("Unpin (free the space)") : qsTr("Pin for offline use")
            onTriggered: album.pinToggled()
        }
        MenuItem { text: qsTr("Rename…"); onTriggered: album.renameRequested() }
        MenuItem { text: qsTr("Delete album"); onTriggered: album.deleteRequested() }
    }
}
