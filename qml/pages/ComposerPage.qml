// A new post: the chosen photos in order (move up / down, remove), each with what followers
// will receive of it (sizes, "location removed", "camera data removed"); the caption with
// #hashtag and @mention completion; the visibility; Post queues it (offline too) and goes back.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Pinhole
import Pinhole.Core

Page {
    id: page
    objectName: "composerPage"
    signal posted()
    readonly property ComposerModel composer: App.composer

    header: ToolBar {
        Material.elevation: 0
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 12
            anchors.rightMargin: 8
            Label {
                text: page.composer.count === 1 ? qsTr("New post · 1 photo") : qsTr("New post · %1 photos").arg(page.composer.count)
                font.pixelSize: 16
                Layout.fillWidth: true
            }
            Button {
                objectName: "postButton"
                text: qsTr("Post")
                highlighted: true
                enabled: page.composer.canPost
                onClicked: if (page.composer.post()) page.posted()
            }
        }
    }

    RowLayout {
        anchors.fill: parent
        anchors.margins: 16
        spacing: 24

        // Fixed shares of the width: the long wrapped labels would otherwise ask for their whole
        // text's width and push the caption off the window.
        ColumnLayout {
            Layout.fillHeight: true
            Layout.preferredWidth: (page.width - 56) * 0.56
            Layout.maximumWidth: Layout.preferredWidth
            spacing: 8
            Label {
                text: qsTr("What your followers receive")
                font.bold: true
            }
            ListView {
                id: photos
                objectName: "composerPhotos"
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                spacing: 8
                model: page.composer
                ScrollBar.vertical: ScrollBar {}
                delegate: Pane {
                    id: row
                    required property int index
                    required property string sha256
                    required property string preview
                    required property var removed
                    required property bool loaded
                    width: photos.width - 12
                    Material.elevation: 1
                    padding: 8
                    contentItem: RowLayout {
                        spacing: 12
                        Label {
                            text: row.index + 1
                            font.pixelSize: 18
                            opacity: 0.6
                            Layout.preferredWidth: 20
                        }
                        Image {
                            Layout.preferredWidth: 96
                            Layout.preferredHeight: 96
                            source: App.thumbnailUrl(row.sha256)
                            sourceSize: Qt.size(192, 192)
                            fillMode: Image.PreserveAspectCrop
                            asynchronous: true
                        }
                        ColumnLayout {
                            Layout.fillWidth: true
                            spacing: 4
                            Label {
                                objectName: "metadataPreview"
                                Layout.fillWidth: true
                                wrapMode: Text.Wrap
                                text: row.loaded ? row.preview : qsTr("Reading the photo's metadata…")
                            }
                            Flow {
                                Layout.fillWidth: true
                                spacing: 6
                                Repeater {
                                    model: row.removed
                                    Label {
                                        required property string modelData
                                        text: "✓ " + modelData
                                        padding: 4
                                        leftPadding: 8
                                        rightPadding: 8
                                        color: "white"
                                        background: Rectangle { radius: 10; color: Material.color(Material.Green, Material.Shade700) }
                                    }
                                }
                            }
                        }
                        ColumnLayout {
                            spacing: 0
                            ToolButton {
                                text: "▲"
                                enabled: row.index > 0
                                onClicked: page.composer.move(row.index, row.index - 1)
                                ToolTip.visible: hovered
                                ToolTip.text: qsTr("Move earlier")
                            }
                            ToolButton {
                                text: "▼"
                                enabled: row.index < photos.count - 1
                                onClicked: page.composer.move(row.index, row.index + 1)
                                ToolTip.visible: hovered
                                ToolTip.text: qsTr("Move later")
                            }
                            ToolButton {
                                text: "✕"
                                onClicked: page.composer.remove(row.index)
                                ToolTip.visible: hovered
                                ToolTip.text: qsTr("Leave this photo out")
                            }
                        }
                    }
                }
            }
            Label {
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                opacity: 0.7
                font.pixelSize: 12
                text: qsTr("The server makes these JPEG copies without any EXIF, XMP or GPS data; your original, tags and captions stay in your library.")
            }
        }

        ColumnLayout {
            Layout.fillHeight: true
            Layout.preferredWidth: (page.width - 56) * 0.44
            Layout.maximumWidth: Layout.preferredWidth
            spacing: 12
            Label {
                text: qsTr("Caption")
                font.bold: true
            }
            TextArea {
                id: caption
                objectName: "captionField"
                Layout.fillWidth: true
                Layout.preferredHeight: 140
                wrapMode: TextEdit.Wrap
                placeholderText: qsTr("Say something; #hashtags and @mentions complete as you type")
                text: page.composer.caption
                onTextChanged: {
                    page.composer.caption = text
                    page.composer.updateCompletion(cursorPosition)
                }
                onCursorPositionChanged: page.composer.updateCompletion(cursorPosition)
                Keys.onPressed: event => {
                    if (!completions.visible)
                        return
                    if (event.key === Qt.Key_Down) {
                        completions.currentIndex = Math.min(completions.currentIndex + 1, completions.count - 1)
                        event.accepted = true
                    } else if (event.key === Qt.Key_Up) {
                        completions.currentIndex = Math.max(completions.currentIndex - 1, 0)
                        event.accepted = true
                    } else if (event.key === Qt.Key_Tab || event.key === Qt.Key_Return || event.key === Qt.Key_Enter) {
                        caption.complete(page.composer.suggestions.labelAt(completions.currentIndex))
                        event.accepted = true
                    }
                }
                function complete(label) {
                    if (label.length === 0)
                        return
                    const at = page.composer.complete(label, cursorPosition)
                    cursorPosition = at
                }
            }
            ListView {
                id: completions
                objectName: "completions"
                Layout.fillWidth: true
                Layout.preferredHeight: Math.min(count, 5) * 36
                visible: page.composer.completionKind.length > 0 && count > 0
                clip: true
                model: page.composer.suggestions
                delegate: ItemDelegate {
                    required property int index
                    required property string label
                    width: completions.width
                    height: 36
                    highlighted: ListView.isCurrentItem
                    text: page.composer.completionKind + label
                    onClicked: caption.complete(label)
                }
            }
            Label {
                text: qsTr("Who can see it")
                font.bold: true
            }
            ComboBox {
                objectName: "visibilityBox"
                Layout.fillWidth: true
                textRole: "text"
                valueRole: "value"
                model: [
                    { value: "public", text: qsTr("Public: everyone, and listed in public timelines") },
                    { value: "unlisted", text: qsTr("Unlisted: everyone with the link, not in public timelines") },
                    { value: "private", text: qsTr("Followers only") }
                ]
                // The model's order; indexOfValue() is -1 until the model is set, blanking the box.
                currentIndex: ["public", "unlisted", "private"].indexOf(page.composer.visibility)
                onActivated: page.composer.visibility = currentValue
            }
            Label {
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                visible: page.composer.problem.length > 0
                color: Material.color(Material.Red)
                text: page.composer.problem
            }
            Label {
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                opacity: 0.7
                font.pixelSize: 12
                text: qsTr("Posting works offline: the post waits in the outbox and is sent with the next sync.")
            }
            Item { Layout.fillHeight: true }
        }
    }
}
