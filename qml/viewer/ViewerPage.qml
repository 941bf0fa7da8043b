// The viewer: one photo, full window, fitted or zoomed (wheel, pinch, double-click for 100%),
// panned by dragging; previous/next with the arrow keys, Esc back. The best available image is
// shown as it arrives: placeholder -> thumbnail -> preview -> original (when zoomed past the
// preview). Regions are drawn, moved and resized over the upright image at any zoom; the side
// panel shows the photo's details and its annotation. Every coordinate goes through
// ViewGeometry (app/viewer/viewgeometry.h); every edit through ViewerController.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Pinhole
import Pinhole.Core

Page {
    id: page
    objectName: "viewerPage"

    // The contract with the library grid: its model (a "sha256" role) and the photo to show.
    // The session defaults to the one the engine's image providers were registered with.
    property alias model: controller.model
    property alias currentIndex: controller.currentIndex
    property alias session: controller.session
    readonly property alias controller: controller
    readonly property alias geometry: geometry
    // Drawing a new region with the mouse (the "Add region" button, or R).
    property bool drawing: false
    property string selectedRegion: ""
    property bool panelVisible: true

    signal closed()
    // "Post…": a new post with the photo shown.
    signal composePost(var sha256s)

    function close() {
        if (page.StackView.view)
            page.StackView.view.pop()
        page.closed()
    }

    focus: true
    background: Rectangle { color: "#111" }

    ViewerController {
        id: controller
        onSha256Changed: {
            page.selectedRegion = ""
            page.drawing = false
        }
    }

    ViewGeometry {
        id: geometry
        viewSize: Qt.size(viewport.width, viewport.height)
        // Stored size and orientation from the library; before they are known (or for a photo
        // without them), the thumbnail's upright shape.
        sourceSize: !controller.sourceSize.width && thumb.status === Image.Ready
                    ? Qt.size(thumb.implicitWidth, thumb.implicitHeight) : controller.sourceSize
        orientation: !controller.sourceSize.width ? 1 : controller.orientation
    }

    Keys.onPressed: (event) => {
        if (event.key === Qt.Key_Escape) {
            if (page.drawing) page.drawing = false
            else if (page.selectedRegion !== "") page.selectedRegion = ""
            else page.close()
        } else if (event.key === Qt.Key_Right) {
            controller.next()
        } else if (event.key === Qt.Key_Left) {
            controller.previous()
        } else if (event.key === Qt.Key_F) {
            geometry.fit()
        } else if (event.key === Qt.Key_1) {
            geometry.zoomTo(1, Qt.point(viewport.width / 2, viewport.height / 2))
        } else if (event.key === Qt.Key_Plus || event.key === Qt.Key_Equal) {
            geometry.zoomBy(1.25, Qt.point(viewport.width / 2, viewport.height / 2))
        } else if (event.key === Qt.Key_Minus) {
            geometry.zoomBy(0.8, Qt.point(viewport.width / 2, viewport.height / 2))
        } else if (event.key === Qt.Key_R) {
            page.drawing = !page.drawing
        } else if (event.key === Qt.Key_I) {
            page.panelVisible = !page.panelVisible
        } else if (event.key === Qt.Key_Delete && page.selectedRegion !== "") {
            controller.removeRegion(page.selectedRegion)
            page.selectedRegion = ""
        } else {
            return
        }
        event.accepted = true
    }

    header: ToolBar {
        RowLayout {
            anchors.fill: parent
            ToolButton {
                objectName: "backButton"
                text: "‹"
                font.pixelSize: 22
                onClicked: page.close()
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Back (Esc)")
            }
            Label {
                text: controller.takenAt
                elide: Text.ElideRight
                Layout.fillWidth: true
            }
            ToolButton {
                text: qsTr("Fit")
                checkable: true
                checked: geometry.fitted
                onClicked: geometry.fit()
            }
            ToolButton {
                text: "100%"
                checkable: true
                checked: Math.abs(geometry.scale - 1) < 0.001
                onClicked: geometry.zoomTo(1, Qt.point(viewport.width / 2, viewport.height / 2))
            }
            ToolButton {
                objectName: "favouriteButton"
                text: controller.favourite ? "♥" : "♡"
                font.pixelSize: 20
                onClicked: controller.setFavourite(!controller.favourite)
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Favourite")
            }
            ToolButton {
                objectName: "drawButton"
                text: qsTr("Add region")
                checkable: true
                checked: page.drawing
                onClicked: page.drawing = !page.drawing
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Draw a box around a face, a pet, a thing or text (R)")
            }
            ToolButton {
                objectName: "postButton"
                text: qsTr("Post…")
                enabled: controller.sha256.length > 0
                onClicked: page.composePost([controller.sha256])
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Share this photo in a post")
            }
            ToolButton {
                text: qsTr("Info")
                checkable: true
                checked: page.panelVisible
                onClicked: page.panelVisible = !page.panelVisible
            }
        }
    }

    RowLayout {
        anchors.fill: parent
        spacing: 0

        Item {
            id: viewport
            objectName: "viewport"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true

            // The images, best last: each covers the one before once it has loaded.
            Image {
                id: placeholder
                x: geometry.imageRect.x; y: geometry.imageRect.y
                width: geometry.imageRect.width; height: geometry.imageRect.height
                source: controller.thumbhash ? "image://placeholder/" + controller.thumbhash : ""
                asynchronous: true
                smooth: true
                visible: thumb.status !== Image.Ready
            }
            Image {
                id: thumb
                x: geometry.imageRect.x; y: geometry.imageRect.y
                width: geometry.imageRect.width; height: geometry.imageRect.height
                source: controller.sha256 ? "image://thumb/" + controller.sha256 : ""
                sourceSize: Qt.size(512, 512)
                asynchronous: true
                smooth: true
                visible: status === Image.Ready && preview.status !== Image.Ready
            }
            Image {
                id: preview
                objectName: "previewImage"
                x: geometry.imageRect.x; y: geometry.imageRect.y
                width: geometry.imageRect.width; height: geometry.imageRect.height
                // After the thumbnail, so the screen is never empty while the preview decodes.
                source: thumb.status === Image.Ready || thumb.status === Image.Error
                        ? "image://preview/" + controller.sha256 : ""
                asynchronous: true
                smooth: true
                mipmap: true
                visible: status === Image.Ready && original.status !== Image.Ready
            }
            Image {
                id: original
                x: geometry.imageRect.x; y: geometry.imageRect.y
                width: geometry.imageRect.width; height: geometry.imageRect.height
                // Only when the screen shows more pixels than the preview has.
                property bool wanted: preview.status === Image.Ready
                                      && geometry.imageRect.width > preview.implicitWidth * 1.05
                onWantedChanged: if (wanted && source == "") source = "image://original/" + controller.sha256
                Connections {
                    target: controller
                    function onSha256Changed() { original.source = "" }
                }
                asynchronous: true
                smooth: true
                visible: status === Image.Ready
            }

            // Pan by dragging, zoom with the wheel (around the pointer) and by pinching.
            DragHandler {
                id: panHandler
                enabled: !page.drawing
                target: null
                property point last
                onActiveChanged: last = centroid.position
                onCentroidChanged: {
                    if (!active) return
                    geometry.panBy(centroid.position.x - last.x, centroid.position.y - last.y)
                    last = centroid.position
                }
            }
            PinchHandler {
                target: null
                property real lastScale: 1
                onActiveChanged: lastScale = 1
                onActiveScaleChanged: {
                    geometry.zoomBy(activeScale / lastScale, centroid.position)
                    lastScale = activeScale
                }
            }
            WheelHandler {
                target: null
                // (Qt 6.4's WheelEvent has x and y, in the viewport's coordinates; no eventPoint.)
                onWheel: (event) => geometry.zoomBy(Math.pow(1.0015, event.angleDelta.y), Qt.point(event.x, event.y))
            }
            TapHandler {
                enabled: !page.drawing
                onDoubleTapped: (eventPoint) => geometry.toggleActualSize(eventPoint.position)
                onTapped: page.selectedRegion = ""
            }

            // The regions, over the image at whatever zoom.
            Repeater {
                model: controller.regions
                delegate: RegionBox {
                    mapping: geometry
                    selected: page.selectedRegion === regionId
                    onSelect: page.selectedRegion = regionId
                    onEdited: (box) => controller.updateRegion(regionId, box, kind, label)
                }
            }

            // Drawing a new region: press, drag, release.
            MouseArea {
                id: drawArea
                objectName: "drawArea"
                anchors.fill: parent
                enabled: page.drawing
                visible: enabled
                cursorShape: Qt.CrossCursor
                property point start
                onPressed: (mouse) => {
                    start = Qt.point(mouse.x, mouse.y)
                    rubberBand.x = mouse.x; rubberBand.y = mouse.y
                    rubberBand.width = 0; rubberBand.height = 0
                    rubberBand.visible = true
                }
                onPositionChanged: (mouse) => {
                    rubberBand.x = Math.min(start.x, mouse.x); rubberBand.y = Math.min(start.y, mouse.y)
                    rubberBand.width = Math.abs(mouse.x - start.x); rubberBand.height = Math.abs(mouse.y - start.y)
                }
                onReleased: (mouse) => {
                    rubberBand.visible = false
                    // Too small to be meant: a click, not a box.
                    if (Math.abs(mouse.x - start.x) < 6 || Math.abs(mouse.y - start.y) < 6)
                        return
                    const box = geometry.mapRectToImage(Qt.rect(start.x, start.y, mouse.x - start.x, mouse.y - start.y))
                    const id = controller.addRegion(box, "face", "")
                    page.drawing = false
                    page.selectedRegion = id
                    panel.editRegion(id)
                }
            }
            Rectangle {
                id: rubberBand
                visible: false
                color: "#3300aaff"
                border.color: "#00aaff"
                border.width: 2
            }

            BusyIndicator {
                anchors.centerIn: parent
                // Only while nothing at all is shown.
                visible: running
                running: thumb.status === Image.Loading && placeholder.status !== Image.Ready
            }
            Label {
                anchors.centerIn: parent
                visible: thumb.status === Image.Error && preview.status === Image.Error
                text: qsTr("This photo is not on this computer yet.")
                color: "white"
            }
        }

        ViewerPanel {
            id: panel
            visible: page.panelVisible
            Layout.preferredWidth: 320
            Layout.fillHeight: true
            controller: controller
            selectedRegion: page.selectedRegion
            onSelectRegion: (id) => page.selectedRegion = id
        }
    }
}
