// Connect and sign in (or register). A self-signed server's fingerprint is shown once to trust
// (TrustDialog); a changed certificate is refused with a warning.
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Pinhole
import Pinhole.Core

Page {
    id: page
    objectName: "signInPage"
    property bool registering: false

    ColumnLayout {
        anchors.centerIn: parent
        width: 380
        spacing: 10

        Label {
            Layout.alignment: Qt.AlignHCenter
            text: qsTr("Pinhole")
            font.pixelSize: 40
            font.weight: Font.Light
        }
        Label {
            Layout.alignment: Qt.AlignHCenter
            Layout.bottomMargin: 12
            text: qsTr("Your photos, on your computer first, shared with the people you choose.")
            wrapMode: Text.Wrap
            horizontalAlignment: Text.AlignHCenter
            Layout.fillWidth: true
            opacity: 0.7
        }
        TextField {
            id: server
            objectName: "serverField"
            Layout.fillWidth: true
            placeholderText: qsTr("Server address, e.g. https://photos.example.org")
            text: App.account.serverUrl.length > 0 ? App.account.serverUrl : App.defaultServer
        }
        Label {
            objectName: "serverLabel"
            visible: false
            text: server.text
        }
        TextField {
            id: username
            objectName: "usernameField"
            Layout.fillWidth: true
            placeholderText: qsTr("Username")
            text: App.account.username
        }
        TextField {
            id: email
            objectName: "emailField"
            visible: page.registering
            Layout.fillWidth: true
            placeholderText: qsTr("E-mail")
        }
        TextField {
            id: password
            objectName: "passwordField"
            Layout.fillWidth: true
            placeholderText: qsTr("Password")
            echoMode: TextInput.Password
            onAccepted: submit.clicked()
        }
        Label {
            objectName: "signInError"
            visible: App.account.error.length > 0
            text: App.account.error
            wrapMode: Text.Wrap
            Layout.fillWidth: true
            color: App.account.keyChanged ? Material.color(Material.Red) : Material.color(Material.Orange)
            font.bold: App.account.keyChanged
        }
        Button {
            id: submit
            objectName: "signInButton"
            Layout.fillWidth: true
            highlighted: true
            enabled: !App.account.busy
            text: page.registering ? qsTr("Create account") : qsTr("Sign in")
            onClicked: {
                if (page.registering)
                    App.account.registerAccount(server.text, username.text, email.text, password.text)
                else
                    App.account.signIn(server.text, username.text, password.text)
            }
        }
        BusyIndicator {
            Layout.alignment: Qt.AlignHCenter
            running: App.account.busy
            visible: running
        }
        Button {
            flat: true
            Layout.alignment: Qt.AlignHCenter
            text: page.registering ? qsTr("I already have an account") : qsTr("Create an account instead")
            onClicked: page.registering = !page.registering
        }
    }

    Dialog {
        id: trust
        objectName: "trustDialog"
        anchors.centerIn: parent
        width: Math.min(page.width - 40, 520)
        modal: true
        visible: App.account.trustFingerprint.length > 0
        title: qsTr("Trust this server?")
        closePolicy: Popup.NoAutoClose
        ColumnLayout {
            anchors.fill: parent
            spacing: 8
            Label {
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                text: qsTr("The server uses its own (self-signed) certificate. Compare its fingerprint with the one "
                           + "your server's administrator sees (pinholed admin fingerprint). Pinhole will remember "
                           + "it and refuse to connect if it ever changes.")
            }
            Label {
                objectName: "trustFingerprint"
                Layout.fillWidth: true
                wrapMode: Text.WrapAnywhere
                text: App.account.trustFingerprint
                font.family: "monospace"
            }
        }
        footer: DialogButtonBox {
            Button { text: qsTr("Trust and connect"); DialogButtonBox.buttonRole: DialogButtonBox.AcceptRole; objectName: "trustButton" }
            Button { text: qsTr("Cancel"); DialogButtonBox.buttonRole: DialogButtonBox.RejectRole }
        }
        onAccepted: App.account.trustServer()
        onRejected: App.account.distrustServer()
    }
}
