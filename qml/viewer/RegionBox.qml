// One region over the photo: a box at its place on the upright image (through ViewGeometry),
// its label and kind above it; selected, it can be dragged and resized from its corner. The
// new box is reported once, on release.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Pinhole
import Pinhole.Core

Item {
    id: region
    required property string regionId
    required property rect box
    required property string kind
    required property string label
    required property ViewGeometry mapping
    property bool selected: false

    signal select()
    signal edited(rect box)

    // While dragging, the box being dragged (normalised); otherwise the stored one.
    property rect live: region.box
    property bool dragging: false
    onBoxChanged: if (!dragging) live = region.box

    // Where it is on screen. Naming mapping.imageRect first makes the binding follow every zoom
    // and pan (the mapping itself is a call, which QML does not track).
    readonly property rect viewRect: mapping.imageRect, mapping.mapRectFromImage(live)
    x: viewRect.x
    y: viewRect.y
    width: viewRect.width
    height: viewRect.height
    z: selected ? 2 : 1

    Rectangle {
        anchors.fill: parent
        color: region.selected ? "#2200aaff" : "transparent"
        border.width: 2
        border.color: region.selected ? "#00aaff" : "white"
        Rectangle { // a dark edge, so a white box reads on a white sky too
            anchors.fill: parent
            anchors.margins: -1
            color: "transparent"
            border.width: 1
            border.color: "#80000000"
        }
    }

    Label {
        objectName: "regionLabel"
        anchors.left: parent.left
        anchors.bottom: parent.top
        anchors.bottomMargin: 2
        text: (region.label || qsTr("unnamed")) + " · " + region.kind
        color: "white"
        font.pixelSize: 12
        padding: 3
        background: Rectangle { color: region.selected ? "#0077b3" : "#a0000000"; radius: 3 }
    }

    MouseArea {
        anchors.fill: parent
        cursorShape: region.selected ? Qt.SizeAllCursor : Qt.PointingHandCursor
        preventStealing: true // the viewer's pan handler must not take the drag over
        property point start
        property rect startBox
        onPressed: (mouse) => {
            region.select()
            start = mapToItem(region.parent, mouse.x, mouse.y)
            startBox = region.box
            region.dragging = true
        }
        onPositionChanged: (mouse) => {
            const p = mapToItem(region.parent, mouse.x, mouse.y)
            region.live = region.mapping.movedRect(startBox, p.x - start.x, p.y - start.y)
        }
        onReleased: {
            region.dragging = false
            region.edited(region.live)
        }
    }

    // The resize handle, bottom-right.
    Rectangle {
        visible: region.selected
        width: 14; height: 14
        radius: 7
        color: "#00aaff"
        border.color: "white"
        x: parent.width - width / 2
        y: parent.height - height / 2
        MouseArea {
            anchors.fill: parent
            anchors.margins: -6
            cursorShape: Qt.SizeFDiagCursor
            preventStealing: true
            property rect startView
            property point start
            onPressed: (mouse) => {
                start = mapToItem(region.parent, mouse.x, mouse.y)
                startView = region.viewRect
                region.dragging = true
            }
            onPositionChanged: (mouse) => {
                const p = mapToItem(region.parent, mouse.x, mouse.y)
                const w = Math.max(8, startView.width + p.x - start.x)
                const h = Math.max(8, startView.height + p.y - start.y)
                region.live = region.mapping.mapRectToImage(Qt.rect(startView.x, startView.y, w, h))
            }
            onReleased: {
                region.dragging = false
                region.edited(region.live)
            }
        }
    }
}
