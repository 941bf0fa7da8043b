// The albums: cover, name and count; create, rename, delete, pin for offline use; open one for
// its grid.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Pinhole
import Pinhole.Core

Page {
    id: page
    objectName: "albumsPage"
    signal openAlbum(string albumId, string name)

    header: ToolBar {
        Material.elevation: 0
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 12
            Label {
                text: App.albums.count === 1 ? qsTr("1 album") : qsTr("%1 albums").arg(App.albums.count)
                font.pixelSize: 16
                Layout.fillWidth: true
            }
            ToolButton {
                text: qsTr("New album")
                onClicked: {
                    nameDialog.albumId = ""
                    nameDialog.open()
                }
            }
        }
    }

    GridView {
        id: albums
        anchors.fill: parent
        anchors.margins: 8
        clip: true
        cellWidth: 200
        cellHeight: 240
        model: App.albums
        delegate: AlbumDelegate {
            onOpened: page.openAlbum(albumId, name)
            onRenameRequested: {
                nameDialog.albumId = albumId
                nameField.text = name
                nameDialog.open()
            }
            onDeleteRequested: App.albums.remove(albumId)
            onPinToggled: App.albums.setPinned(albumId, !pinned)
        }
        Label {
            anchors.centerIn: parent
            visible: albums.count === 0
            text: qsTr("No albums yet. Select photos in the library and choose “Add to album”.")
            opacity: 0.6
        }
    }

    Dialog {
        id: nameDialog
        property string albumId: ""
        title: albumId.length > 0 ? qsTr("Rename album") : qsTr("New album")
        anchors.centerIn: parent
        modal: true
        standardButtons: Dialog.Ok | Dialog.Cancel
        TextField {
            id: nameField
            placeholderText: qsTr("Album name")
            width: 280
        }
        onAccepted: {
            if (nameField.text.trim().length === 0)
                return
            if (albumId.length > 0)
                App.albums.rename(albumId, nameField.text)
            else
                App.albums.create(nameField.text)
            nameField.text = ""
        }
    }
}
