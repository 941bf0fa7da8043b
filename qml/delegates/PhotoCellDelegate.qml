// A thumbnail in the grid: loaded asynchronously (a plain placeholder while it loads), with
// the selection mark and the keyboard's current-photo ring.
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
    signal clicked(int modifiers)
    signal activated()

    objectName: "photoCell"
    width: size
    height: size

    Rectangle {
        id: placeholder
        anchors.fill: parent
        anchors.margins: 2
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
        anchors.fill: parent
        onClicked: mouse => cell.clicked(mouse.modifiers)
        onDoubleClicked: cell.activated()
    }
}
