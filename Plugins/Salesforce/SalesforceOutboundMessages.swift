import CrosswalkPluginKit
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// An outbound message as Salesforce posts it (SOAP 1.1, *Outbound Messaging › Outbound Messaging
/// WSDL*): `notifications` with `OrganizationId`, `ActionId`, `SessionId`, `EnterpriseUrl`,
/// `PartnerUrl` and up to 100 `Notification`s, each an `Id` and an `sObject` of one type with the
/// fields the workflow selected (`xsi:nil="true"` for null).
struct SalesforceOutboundMessage {
    struct Notification {
        var id: String
        var type: String
        /// Field name → text (`nil` for `xsi:nil`).
        var fields: [(String, String?)]
    }

    var organizationID: String
    var actionID: String?
    var notifications: [Notification]

    static let limit = 100

    static func parse(_ body: Data) throws -> SalesforceOutboundMessage {
        let reader = Reader()
        let parser = XMLParser(data: body)
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        parser.delegate = reader
        guard parser.parse() else {
            let why = parser.parserError.map { "\($0.localizedDescription)" } ?? "malformed XML"
            throw ConnectorError(.invalidArgument, "the outbound message is not valid XML (line \(parser.lineNumber)): \(why)")
        }
        guard reader.sawNotifications else {
            throw ConnectorError(.invalidArgument, "the body is not a Salesforce outbound message (no notifications element in namespace \(Reader.outbound))")
        }
        guard let org = reader.organizationID, !org.isEmpty else {
            throw ConnectorError(.invalidArgument, "the outbound message carries no OrganizationId")
        }
        if reader.notifications.count > limit {
            throw ConnectorError(.invalidArgument, "the outbound message carries \(reader.notifications.count) notifications; Salesforce sends at most \(limit)")
        }
        return SalesforceOutboundMessage(organizationID: org, actionID: reader.actionID, notifications: reader.notifications)
    }

    /// A SAX reader of the envelope: the path of elements decides what a text is.
    private final class Reader: NSObject, XMLParserDelegate {
        static let outbound = "http://soap.sforce.com/2005/09/outbound"
        static let xsi = "http://www.w3.org/2001/XMLSchema-instance"

        var organizationID: String?
        var actionID: String?
        var notifications: [Notification] = []
        var sawNotifications = false

        private var path: [String] = []
        private var text = ""
        private var current: Notification?
        private var inSObject = false
        private var fieldIsNil = false

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            path.append(name)
            text = ""
            if name == "notifications", namespaceURI == Self.outbound { sawNotifications = true }
            if name == "Notification", path.dropLast().last == "notifications" { current = Notification(id: "", type: "", fields: []) }
            if name == "sObject", current != nil {
                inSObject = true
                // xsi:type="sf:Contact": with namespace processing the attribute keeps its prefix.
                let type = attributes.first { $0.key == "xsi:type" || $0.key.hasSuffix(":type") || $0.key == "type" }?.value ?? ""
                current?.type = String(type.split(separator: ":").last ?? "")
            }
            fieldIsNil = attributes.contains { ($0.key == "xsi:nil" || $0.key.hasSuffix(":nil")) && $0.value == "true" }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

        func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) { text += String(decoding: CDATABlock, as: UTF8.self) }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            defer { path.removeLast(); text = "" }
            let parent = path.dropLast().last
            switch (parent, name) {
            case ("notifications", "OrganizationId"): organizationID = text.trimmingCharacters(in: .whitespacesAndNewlines)
            case ("notifications", "ActionId"): actionID = text.trimmingCharacters(in: .whitespacesAndNewlines)
            case ("Notification", "Id"): current?.id = text.trimmingCharacters(in: .whitespacesAndNewlines)
            case ("Notification", "sObject"): inSObject = false
            case ("notifications", "Notification"):
                if let n = current { notifications.append(n) }
                current = nil
            case ("sObject", _) where inSObject:
                current?.fields.append((name, fieldIsNil ? nil : text))
                fieldIsNil = false
            default: break
            }
        }
    }
}
