// One row of the photo grid: a day/month header, or up to `columns` thumbnails.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import Pinhole
import Pinhole.Core

Item {
    id: row

    required property bool isHeader
    required property string title
    required property int count
    required property var cells
    property int cellSize: 160
    property int currentPhoto: -1
    property bool reorderable: false
    signal cellClicked(int photoIndex, int modifiers)
    signal cellActivated(int photoIndex)
    signal cellMoved(int fromIndex, int toIndex)

    height: isHeader ? 44 : cellSize

    Label {
        visible: row.isHeader
        anchors.left: parent.left
        anchors.leftMargin: 12
        anchors.bottom: parent.bottom
        anchors.bottomMargin: 8
        text: row.title
        font.pixelSize: 16
        font.weight: Font.DemiBold
    }
    Label {
        visible: row.isHeader
        anchors.right: parent.right
        anchors.rightMargin: 16
        anchors.baseline: parent.bottom
        anchors.baselineOffset: -12
        text: row.count === 1 ? qsTr("1 photo") : qsTr("%1 photos").arg(row.count)
        opacity: 0.55
    }

    Row {
        x: 4
        visible: !row.isHeader
        Repeater {
            model: row.isHeader ? [] : row.cells
            delegate: PhotoCellDelegate {
                size: row.cellSize
                current: modelData.index === row.currentPhoto
                reorderable: row.reorderable
                onClicked: modifiers => row.cellClicked(modelData.index, modifiers)
                onActivated: row.cellActivated(modelData.index)
                onMovedHere: fromIndex => row.cellMoved(fromIndex, modelData.index)
            }
        }
    }
}
