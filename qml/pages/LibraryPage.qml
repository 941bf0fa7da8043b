// Every photo, newest first, grouped by day (by month when the thumbnails are small), with the
// actions on the selection: add to an album, remove from it (in an album), favourite, trash.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Pinhole
import Pinhole.Core

Page {
    id: page
    objectName: "libraryPage"

    required property LibraryModel photos
    property string albumName: ""
    readonly property alias grid: grid
    signal openPhoto(int photoIndex)
    // "Post…": a new post with these photos (the selection, in the grid's order).
    signal composePost(var sha256s)

    function openTagDialog() {
        if (page.photos.selectedCount > 0)
            tagDialog.open()
    }
    function focusFilter() {
        filterField.forceActiveFocus()
        filterField.selectAll()
    }

    header: ToolBar {
        Material.elevation: 0
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 12
            anchors.rightMargin: 8
            Label {
                text: page.photos.selectedCount > 0
                      ? qsTr("%1 selected").arg(page.photos.selectedCount)
                      : page.albumName.length > 0 ? page.albumName
                                                  : (page.photos.count === 1 ? qsTr("1 photo") : qsTr("%1 photos").arg(page.photos.count))
                font.pixelSize: 16
                Layout.fillWidth: true
                elide: Text.ElideRight
            }
            ToolButton {
                visible: page.photos.selectedCount > 0
                text: qsTr("Add to album")
                onClicked: albumMenu.popup()
                Menu {
                    id: albumMenu
                    objectName: "albumMenu"
                    Repeater {
                        model: App.albums
                        delegate: MenuItem {
                            required property string albumId
                            required property string name
                            text: name
                            onTriggered: page.photos.addSelectionToAlbum(albumId)
                        }
                    }
                    MenuSeparator {}
                    MenuItem {
                        text: qsTr("New album…")
                        onTriggered: newAlbumDialog.open()
                    }
                }
            }
            ToolButton {
                objectName: "postButton"
                visible: page.photos.selectedCount > 0
                text: qsTr("Post…")
                onClicked: page.composePost(page.photos.selectedSha256s())
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Share the selected photos in a post")
            }
            ToolButton {
                objectName: "tagButton"
                visible: page.photos.selectedCount > 0
                text: qsTr("Tag…")
                onClicked: page.openTagDialog()
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Tag the selected photos (Ctrl+T)")
            }
            ToolButton {
                objectName: "favouriteButton"
                visible: page.photos.selectedCount > 0
                text: page.photos.selectionFavourite ? qsTr("♥ Unfavourite") : qsTr("♡ Favourite")
                onClicked: page.photos.setSelectionFavourite(!page.photos.selectionFavourite)
            }
            ToolButton {
                objectName: "trashButton"
                visible: page.photos.selectedCount > 0
                text: qsTr("Move to trash")
                onClicked: page.photos.trashSelection()
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Delete")
            }
            ToolButton {
                visible: page.photos.selectedCount > 0 && page.photos.albumId.length > 0
                text: qsTr("Remove from album")
                onClicked: page.photos.removeSelectionFromAlbum()
            }
            ToolButton {
                visible: page.photos.selectedCount > 0
                text: qsTr("Clear")
                onClicked: page.photos.clearSelection()
            }
            TextField {
                id: filterField
                objectName: "filterField"
                visible: page.photos.selectedCount === 0
                placeholderText: qsTr("Filter (Ctrl+F)")
                // On the tool bar's colour: the style's grey placeholder was hard to read there.
                placeholderTextColor: Qt.alpha(color, 0.75)
                Layout.preferredWidth: 200
                onTextChanged: page.photos.filter = text
                Keys.onEscapePressed: { text = ""; grid.forceActiveFocus() }
            }
            Slider {
                objectName: "thumbnailSlider"
                from: 64
                to: 400
                value: App.thumbnailSize
                onMoved: App.thumbnailSize = value
                Layout.preferredWidth: 140
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Thumbnail size (Ctrl+= / Ctrl+-)")
            }
        }
    }

    PhotoGrid {
        id: grid
        anchors.fill: parent
        Component.onCompleted: forceActiveFocus()
        photos: page.photos
        onActivated: photoIndex => page.openPhoto(photoIndex)
    }

    Dialog {
        id: tagDialog
        objectName: "tagDialog"
        title: page.photos.selectedCount === 1 ? qsTr("Tag the photo") : qsTr("Tag %1 photos").arg(page.photos.selectedCount)
        anchors.centerIn: parent
        modal: true
        standardButtons: Dialog.Ok | Dialog.Cancel
        onOpened: tagField.forceActiveFocus()
        TextField {
            id: tagField
            placeholderText: qsTr("Tag, e.g. sunset")
            width: 280
            onAccepted: tagDialog.accept()
        }
        onAccepted: {
            page.photos.tagSelection(tagField.text)
            tagField.text = ""
            grid.forceActiveFocus()
        }
    }

    Dialog {
        id: newAlbumDialog
        title: qsTr("New album")
        anchors.centerIn: parent
        modal: true
        standardButtons: Dialog.Ok | Dialog.Cancel
        TextField {
            id: newAlbumName
            placeholderText: qsTr("Album name")
            width: 280
        }
        onAccepted: {
            if (newAlbumName.text.trim().length > 0)
                App.createAlbumWithSelection(newAlbumName.text)
            newAlbumName.text = ""
        }
    }
}
