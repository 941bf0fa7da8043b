// An account's picture (square: Qt 6.4 has no mask effect without Qt5Compat), with the first
// letter of its name while the image loads or when it cannot (offline, or no avatar).
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material

Rectangle {
    id: avatar
    property url source
    property string name: ""
    property int size: 40

    width: size
    height: size
    radius: Math.round(size / 10)
    color: Material.accent
    clip: true

    Label {
        anchors.centerIn: parent
        visible: !image.visible
        text: avatar.name.length > 0 ? avatar.name[0].toUpperCase() : "?"
        color: "white"
        font.pixelSize: avatar.size * 0.45
        font.bold: true
    }
    Image {
        id: image
        anchors.fill: parent
        source: avatar.source
        sourceSize.width: avatar.size * 2
        sourceSize.height: avatar.size * 2
        fillMode: Image.PreserveAspectCrop
        asynchronous: true
        // The server's default picture is a grey silhouette; the letter reads better.
        visible: status === Image.Ready && !avatar.source.toString().endsWith("/avatar-missing.png")
    }
}
