// A post in a profile's grid: its first photo (the local file while the post is pending), and
// the number of photos when there are several.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import Pinhole.Core

Item {
    id: cell
    signal opened(string postId)
    required property string postId
    required property url thumbnail
    required property string localSha256
    required property int photoCount
    required property bool pending
    Rectangle {
        anchors.fill: parent
        anchors.margins: 2
        color: cell.Material.theme === Material.Dark ? "#2b2b2b" : "#e4e4e4"
        Image {
            anchors.fill: parent
            source: cell.thumbnail.toString().length > 0 ? cell.thumbnail
                  : cell.localSha256.length > 0 ? App.thumbnailUrl(cell.localSha256) : ""
            sourceSize.width: width * 2
            sourceSize.height: height * 2
            fillMode: Image.PreserveAspectCrop
            asynchronous: true
            autoTransform: true
            opacity: cell.pending ? 0.6 : 1
        }
        Label {
            visible: cell.photoCount > 1
            anchors.top: parent.top
            anchors.right: parent.right
            anchors.margins: 6
            text: "❐ " + cell.photoCount
            color: "white"
            style: Text.Outline
            styleColor: "#80000000"
        }
        MouseArea { anchors.fill: parent; onClicked: cell.opened(cell.postId) }
    }
}
