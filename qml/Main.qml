// The application window: Material style, light or dark following the system.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import Pinhole

ApplicationWindow {
    id: window
    width: 1100
    height: 760
    visible: true
    title: qsTr("Pinhole")
    Material.theme: Material.System
    Material.accent: Material.DeepOrange

    StackView {
        id: stack
        anchors.fill: parent
        initialItem: WelcomePage {}
    }
}
