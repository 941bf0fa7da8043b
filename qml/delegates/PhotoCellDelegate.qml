// A thumbnail in the grid: loaded asynchronously (a plain placeholder while it loads), with
// the selection mark and the keyboard's current-photo ring. In an album it can be dragged onto
// another photo to move it there (`reorderable`; the model moves it: movedHere).
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import Pinhole.Core

Item {
    id: cell

    required property var modelData
    property int size: 160
    property bool current: false
    readonly property bool selected: modelData.selected
    property bool reorderable: false
    signal clicked(int modifiers)
    signal activated()
    // The photo at `fromIndex` was dropped on this one.
    signal movedHere(int fromIndex)

    objectName: "photoCell"
    width: size
    height: size
    z: placeholder.Drag.active ? 1 : 0

    Rectangle {
        id: placeholder
        // Positioned, not anchored: a drag moves it.
        x: 2
        y: 2
        width: cell.width - 4
        height: cell.height - 4
        readonly property int photoIndex: cell.modelData.index
        Drag.active: mouse.drag.active
        Drag.keys: ["pinhole/photo"]
        Drag.source: placeholder
        Drag.hotSpot.x: width / 2
        Drag.hotSpot.y: height / 2
        opacity: Drag.active ? 0.8 : 1
        color: cell.Material.theme === Material.Dark ? "#2b2b2b" : "#e4e4e4"

        Image {
            // The stored ThumbHash, decoded at once, while the thumbnail loads.
            anchors.fill: parent
            visible: thumb.status !== Image.Ready && cell.modelData.thumbhash.length > 0
            source: visible ? "image://placeholder/" + cell.modelData.thumbhash : ""
            asynchronous: true
            fillMode: Image.PreserveAspectCrop
        }
        Image {
            id: thumb
            objectName: "photoThumb"
            anchors.fill: parent
            anchors.margins: cell.selected ? 8 : 0
            source: App.thumbnailUrl(cell.modelData.sha256)
            sourceSize.width: 320
            sourceSize.height: 320
            asynchronous: true
            fillMode: Image.PreserveAspectCrop
            cache: true
            opacity: status === Image.Ready ? 1 : 0
            Behavior on opacity { NumberAnimation { duration: 120 } }
            Behavior on anchors.margins { NumberAnimation { duration: 90 } }
        }
    }

    Rectangle {
        anchors.fill: parent
        anchors.margins: 1
        color: "transparent"
        border.width: cell.current ? 2 : 0
        border.color: cell.Material.accent
    }

    Rectangle {
        visible: cell.selected
        width: 22
        height: 22
        radius: 11
        x: 6
        y: 6
        color: cell.Material.accent
        border.color: "white"
        border.width: 2
        Label {
            anchors.centerIn: parent
            text: "✓"
            color: "white"
            font.pixelSize: 13
            font.bold: true
        }
    }

    Label {
        visible: cell.modelData.favourite
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        anchors.margins: 8
        text: "♥"
        color: "white"
        style: Text.Outline
        styleColor: "#80000000"
        font.pixelSize: 18
    }

    MouseArea {
        id: mouse
        anchors.fill: parent
        drag.target: cell.reorderable ? placeholder : null
        preventStealing: cell.reorderable
        onClicked: mouse => cell.clicked(mouse.modifiers)
        onDoubleClicked: cell.activated()
        onReleased: {
            if (!drag.active)
                return
            placeholder.Drag.drop()
            placeholder.x = 2
            placeholder.y = 2
        }
    }

    DropArea {
        anchors.fill: parent
        keys: ["pinhole/photo"]
        enabled: cell.reorderable
        onDropped: drop => {
            const from = drop.source ? drop.source.photoIndex : -1
            if (from >= 0 && from !== cell.modelData.index)
                cell.movedHere(from)
        }
        Rectangle {
            anchors.fill: parent
            color: "transparent"
            border.width: parent.containsDrag ? 3 : 0
            border.color: cell.Material.accent
        }
    }
}
