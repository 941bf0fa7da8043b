// Search: people and hashtags on the server (as you type, debounced; online), and the user's own
// library by tags, captions and region names (offline) as a photo grid.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Pinhole
import Pinhole.Core

Page {
    id: page
    objectName: "searchPage"
    // `seed`: what the hit says of the account (it may not be in the local mirror yet).
    signal openProfile(string accountId, var seed)
    signal openHashtag(string tag)
    signal openPhoto(var model, int photoIndex)

    readonly property PeopleSearchModel people: App.peopleSearch()
    readonly property LibraryModel photos: App.photoSearch()

    function focusQuery() { query.forceActiveFocus() }
    Component.onCompleted: focusQuery()

    header: ToolBar {
        Material.elevation: 0
        TextField {
            id: query
            objectName: "searchField"
            anchors.fill: parent
            anchors.leftMargin: 12
            anchors.rightMargin: 12
            placeholderText: qsTr("Search people, #hashtags and your photos' tags, captions and names")
            onTextChanged: {
                page.people.query = text
                page.photos.annotationSearch = text.trim().replace(/^#/, "")
            }
        }
    }

    RowLayout {
        anchors.fill: parent
        spacing: 0
        ColumnLayout {
            Layout.preferredWidth: 300
            Layout.fillHeight: true
            spacing: 0
            Label {
                text: qsTr("People and hashtags")
                font.bold: true
                Layout.margins: 12
            }
            Label {
                visible: page.people.error.length > 0
                text: page.people.error
                wrapMode: Text.Wrap
                opacity: 0.7
                Layout.fillWidth: true
                Layout.margins: 12
            }
            ListView {
                id: hits
                objectName: "peopleResults"
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                model: page.people
                // The previous query's results, dimmed, until the new ones arrive.
                opacity: page.people.loading ? 0.4 : 1
                delegate: ItemDelegate {
                    id: hit
                    required property string kind
                    required property string accountId
                    required property string username
                    required property string displayName
                    required property url avatar
                    required property bool locked
                    required property string hashtag
                    width: hits.width
                    onClicked: {
                        if (hit.kind === "hashtag") {
                            // Everyone's posts with it (HashtagPage); back here, your own photos tagged so.
                            page.photos.annotationSearch = hit.hashtag
                            page.openHashtag(hit.hashtag)
                        } else {
                            page.openProfile(hit.accountId, { username: hit.username, displayName: hit.displayName,
                                                              avatar: hit.avatar, locked: hit.locked })
                        }
                    }
                    contentItem: RowLayout {
                        spacing: 12
                        Avatar {
                            visible: hit.kind === "account"
                            source: hit.avatar
                            name: hit.displayName
                            size: 36
                        }
                        Label {
                            visible: hit.kind === "hashtag"
                            text: "#"
                            font.pixelSize: 22
                            horizontalAlignment: Text.AlignHCenter
                            Layout.preferredWidth: 36
                        }
                        ColumnLayout {
                            spacing: 0
                            Layout.fillWidth: true
                            Label { text: hit.kind === "hashtag" ? hit.hashtag : hit.displayName; font.bold: true; elide: Text.ElideRight; Layout.fillWidth: true }
                            Label { visible: hit.kind === "account"; text: "@" + hit.username; opacity: 0.7; elide: Text.ElideRight; Layout.fillWidth: true }
                        }
                    }
                }
                BusyIndicator {
                    anchors.horizontalCenter: parent.horizontalCenter
                    y: 8
                    running: page.people.loading
                    visible: running
                }
                Label {
                    anchors.centerIn: parent
                    width: hits.width - 24
                    visible: hits.count === 0 && !page.people.loading && page.people.error.length === 0
                    text: query.text.trim().length > 0 ? qsTr("No one found.") : qsTr("Type to search.")
                    horizontalAlignment: Text.AlignHCenter
                    wrapMode: Text.Wrap
                    opacity: 0.6
                }
            }
        }
        ToolSeparator { orientation: Qt.Vertical; Layout.fillHeight: true }
        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 0
            Label {
                text: page.photos.annotationSearch.length === 0 ? qsTr("Your photos")
                    : page.photos.count === 1 ? qsTr("1 of your photos") : qsTr("%1 of your photos").arg(page.photos.count)
                font.bold: true
                Layout.margins: 12
            }
            PhotoGrid {
                id: photoGrid
                objectName: "photoSearchGrid"
                Layout.fillWidth: true
                Layout.fillHeight: true
                photos: page.photos
                visible: page.photos.annotationSearch.length > 0
                onActivated: photoIndex => page.openPhoto(page.photos, photoIndex)
            }
            Item { Layout.fillHeight: true; visible: !photoGrid.visible }
        }
    }
}
