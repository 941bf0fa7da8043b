// The viewer's side panel: the photo's details (date, camera, lens, exposure, size, file size,
// place) and its annotation — rating, caption, tags with autocomplete from the library's tags,
// and the regions drawn on it (name, kind, delete). Every change goes to the controller, which
// saves it at once.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Pinhole
import Pinhole.Core

Pane {
    id: panel
    required property ViewerController controller
    property string selectedRegion: ""
    signal selectRegion(string id)

    // Puts the cursor in the new region's name field.
    function editRegion(id) {
        panel.selectRegion(id)
        regionList.focusLabelOf = id
    }

    padding: 0

    ScrollView {
        anchors.fill: parent
        contentWidth: availableWidth

        ColumnLayout {
            width: parent.width
            spacing: 10

            // Details.
            GridLayout {
                Layout.margins: 14
                Layout.fillWidth: true
                columns: 2
                columnSpacing: 10
                rowSpacing: 4
                Repeater {
                    model: [
                        [qsTr("Taken"), panel.controller.takenAt],
                        [qsTr("Camera"), panel.controller.camera],
                        [qsTr("Lens"), panel.controller.lens],
                        [qsTr("Exposure"), panel.controller.exposure],
                        [qsTr("Size"), panel.controller.dimensions],
                        [qsTr("File"), panel.controller.fileSize],
                        [qsTr("Place"), panel.controller.place],
                    ].filter(row => row[1] !== "")
                    delegate: Label {
                        required property var modelData
                        required property int index
                        text: modelData[0]
                        opacity: 0.6
                        Layout.row: index
                        Layout.column: 0
                        Layout.alignment: Qt.AlignTop
                    }
                }
                Repeater {
                    model: [
                        panel.controller.takenAt, panel.controller.camera, panel.controller.lens,
                        panel.controller.exposure, panel.controller.dimensions, panel.controller.fileSize,
                        panel.controller.place,
                    ].filter(value => value !== "")
                    delegate: Label {
                        required property string modelData
                        required property int index
                        objectName: "infoValue"
                        text: modelData
                        wrapMode: Text.Wrap
                        Layout.row: index
                        Layout.column: 1
                        Layout.fillWidth: true
                    }
                }
            }

            MenuSeparator { Layout.fillWidth: true }

            // Rating.
            RowLayout {
                Layout.leftMargin: 10
                spacing: 0
                Repeater {
                    model: 5
                    delegate: ToolButton {
                        required property int index
                        objectName: "star" + (index + 1)
                        text: index < panel.controller.rating ? "★" : "☆"
                        font.pixelSize: 20
                        // Clicking the current rating clears it.
                        onClicked: panel.controller.setRating(panel.controller.rating === index + 1 ? 0 : index + 1)
                    }
                }
            }

            // Caption, saved when the field is left or Enter is pressed.
            TextArea {
                id: caption
                objectName: "captionField"
                Layout.fillWidth: true
                Layout.leftMargin: 14
                Layout.rightMargin: 14
                placeholderText: qsTr("Add a caption")
                wrapMode: TextEdit.Wrap
                text: panel.controller.caption
                onEditingFinished: panel.controller.setCaption(text)
                Keys.onReturnPressed: (event) => {
                    if (event.modifiers & Qt.ShiftModifier) { event.accepted = false; return }
                    panel.controller.setCaption(text)
                    focus = false
                }
            }

            // Tags.
            Label { text: qsTr("Tags"); font.bold: true; Layout.leftMargin: 14 }
            Flow {
                Layout.fillWidth: true
                Layout.leftMargin: 14
                Layout.rightMargin: 14
                spacing: 6
                Repeater {
                    model: panel.controller.tags
                    delegate: Button {
                        required property string modelData
                        text: modelData + "  ×"
                        flat: true
                        font.capitalization: Font.MixedCase
                        onClicked: panel.controller.removeTag(modelData)
                        ToolTip.visible: hovered
                        ToolTip.text: qsTr("Remove the tag")
                    }
                }
            }
            TextField {
                id: tagField
                objectName: "tagField"
                Layout.fillWidth: true
                Layout.leftMargin: 14
                Layout.rightMargin: 14
                placeholderText: qsTr("Add a tag")
                onTextChanged: panel.controller.tagSuggestions.filter = text
                onAccepted: {
                    const chosen = suggestions.currentIndex >= 0
                                   ? panel.controller.tagSuggestions.labelAt(suggestions.currentIndex) : text
                    panel.controller.addTag(chosen)
                    text = ""
                }
                Keys.onDownPressed: suggestions.currentIndex = Math.min(suggestions.currentIndex + 1, suggestions.count - 1)
                Keys.onUpPressed: suggestions.currentIndex = Math.max(suggestions.currentIndex - 1, -1)

                Popup {
                    y: tagField.height
                    width: tagField.width
                    padding: 0
                    visible: tagField.activeFocus && tagField.text.length > 0 && suggestions.count > 0
                    ListView {
                        id: suggestions
                        objectName: "tagSuggestions"
                        implicitHeight: contentHeight
                        width: parent.width
                        currentIndex: -1
                        model: panel.controller.tagSuggestions
                        delegate: ItemDelegate {
                            required property string label
                            required property int count
                            required property int index
                            width: ListView.view.width
                            text: label + "  (" + count + ")"
                            highlighted: ListView.isCurrentItem
                            onClicked: {
                                panel.controller.addTag(label)
                                tagField.text = ""
                            }
                        }
                    }
                }
            }

            // Regions.
            Label {
                text: qsTr("Regions")
                font.bold: true
                Layout.leftMargin: 14
                Layout.topMargin: 6
            }
            Label {
                visible: panel.controller.regions.count === 0
                text: qsTr("Use “Add region” and draw a box on the photo.")
                opacity: 0.6
                wrapMode: Text.Wrap
                Layout.fillWidth: true
                Layout.leftMargin: 14
            }
            ColumnLayout {
                id: regionList
                property string focusLabelOf: ""
                Layout.fillWidth: true
                Layout.leftMargin: 14
                Layout.rightMargin: 8
                Repeater {
                    model: panel.controller.regions
                    delegate: RowLayout {
                        id: row
                        required property string regionId
                        required property rect box
                        required property string kind
                        required property string label
                        Layout.fillWidth: true
                        TextField {
                            id: labelField
                            objectName: "regionLabelField"
                            Layout.fillWidth: true
                            placeholderText: qsTr("Who or what?")
                            text: row.label
                            font.bold: panel.selectedRegion === row.regionId
                            onActiveFocusChanged: if (activeFocus) panel.selectRegion(row.regionId)
                            onEditingFinished: panel.controller.updateRegion(row.regionId, row.box, row.kind, text)
                            Component.onCompleted: if (regionList.focusLabelOf === row.regionId) forceActiveFocus()
                        }
                        ComboBox {
                            objectName: "regionKind"
                            model: panel.controller.regionKinds
                            currentIndex: panel.controller.regionKinds.indexOf(row.kind)
                            implicitWidth: 96
                            onActivated: (i) => panel.controller.updateRegion(row.regionId, row.box,
                                                                              panel.controller.regionKinds[i], labelField.text)
                        }
                        ToolButton {
                            objectName: "deleteRegion"
                            text: "✕"
                            onClicked: panel.controller.removeRegion(row.regionId)
                            ToolTip.visible: hovered
                            ToolTip.text: qsTr("Delete the region")
                        }
                    }
                }
            }
            Item { Layout.fillHeight: true }
        }
    }
}
