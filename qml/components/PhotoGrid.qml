// The virtualised photo grid: a ListView of LibraryGridModel rows (a day or month header, then
// rows of thumbnails), so only what is on screen exists. Click, Shift+click and Ctrl+click
// select; arrows move the current photo (Shift extends the selection); Enter opens it.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import Pinhole
import Pinhole.Core

ListView {
    id: grid
    objectName: "photoGrid"

    required property LibraryModel photos
    property int cellSize: App.thumbnailSize
    property int currentPhoto: -1
    readonly property int columns: rows.columns
    // The first frame that shows photos (the benchmark waits for it).
    readonly property bool showsPhotos: count > 0
    signal activated(int photoIndex)

    clip: true
    focus: true
    activeFocusOnTab: true
    reuseItems: true
    cacheBuffer: cellSize * 2
    boundsBehavior: Flickable.StopAtBounds
    ScrollBar.vertical: ScrollBar { policy: ScrollBar.AsNeeded }

    model: LibraryGridModel {
        id: rows
        photos: grid.photos
        columns: Math.max(1, Math.floor((grid.width - 8) / grid.cellSize))
        // An album is shown in its own order (drag and drop), not by date.
        grouping: grid.photos.albumId.length > 0 ? LibraryGridModel.None
                  : grid.cellSize < 110 ? LibraryGridModel.Month : LibraryGridModel.Day
    }

    delegate: PhotoRowDelegate {
        width: grid.width
        cellSize: Math.floor((grid.width - 8) / rows.columns)
        currentPhoto: grid.currentPhoto
        reorderable: grid.photos.reorderable
        onCellMoved: (fromIndex, toIndex) => grid.photos.moveInAlbum(fromIndex, toIndex)
        onCellClicked: (photoIndex, modifiers) => {
            grid.forceActiveFocus()
            grid.currentPhoto = photoIndex
            grid.photos.select(photoIndex, modifiers)
        }
        onCellActivated: photoIndex => grid.activated(photoIndex)
    }

    function moveTo(photoIndex, modifiers) {
        if (grid.photos.count === 0)
            return
        const i = Math.max(0, Math.min(grid.photos.count - 1, photoIndex))
        grid.currentPhoto = i
        grid.photos.select(i, modifiers)
        grid.positionViewAtIndex(rows.rowOfPhoto(i), ListView.Contain)
    }

    Keys.onPressed: event => {
        const shift = event.modifiers & Qt.ShiftModifier ? Qt.ShiftModifier : 0
        const from = Math.max(0, grid.currentPhoto)
        switch (event.key) {
        case Qt.Key_Right: grid.moveTo(grid.currentPhoto < 0 ? 0 : from + 1, shift); break
        case Qt.Key_Left: grid.moveTo(from - 1, shift); break
        case Qt.Key_Down: grid.moveTo(grid.currentPhoto < 0 ? 0 : from + rows.columns, shift); break
        case Qt.Key_Up: grid.moveTo(from - rows.columns, shift); break
        case Qt.Key_Home: grid.moveTo(0, shift); break
        case Qt.Key_End: grid.moveTo(grid.photos.count - 1, shift); break
        case Qt.Key_Return:
        case Qt.Key_Enter:
            if (grid.currentPhoto >= 0)
                grid.activated(grid.currentPhoto)
            break
        case Qt.Key_Escape: grid.photos.clearSelection(); break
        default: return
        }
        event.accepted = true
    }

    Label {
        anchors.centerIn: parent
        visible: grid.count === 0 && !grid.photos.loading
        text: qsTr("No photos yet.\nDrop photos or folders here, or press Ctrl+I to import.")
        horizontalAlignment: Text.AlignHCenter
        opacity: 0.6
    }
}
