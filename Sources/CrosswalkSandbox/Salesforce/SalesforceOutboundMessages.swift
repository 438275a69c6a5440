import CrosswalkCore
import Foundation
import Synchronization

/// A registered Outbound Message endpoint: notified when records of `objects` (all when empty) are
/// created or updated through the API.
struct SalesforceSubscription: Sendable {
    var url: String
    var objects: [String]

    func wants(_ type: String) -> Bool { objects.isEmpty || objects.contains { $0.lowercased() == type.lowercased() } }
}

/// Outbound Messages: the SOAP 1.1 `notifications` Salesforce posts (up to 100 notifications each, one
/// object type per message). Salesforce does not sign them, so a subscription's secret is unused.
extension SalesforceApp {
    static let outboundNotificationLimit = 100

    func notify(_ records: [SalesforceRecord], _ call: SalesforceCall) {
        guard !records.isEmpty else { return }
        let (subscriptions, firstSequence) = state.withLock { state in
            let first = state.notificationSequence
            state.notificationSequence += records.count * state.subscriptions.count
            return (state.subscriptions, first)
        }
        var sequence = firstSequence
        for (index, subscription) in subscriptions.enumerated() {
            let wanted = records.filter { subscription.wants($0.type) }
            let byType = Dictionary(grouping: wanted, by: \.type)
            for type in byType.keys.sorted() {
                let group = byType[type]!
                for start in stride(from: 0, to: group.count, by: Self.outboundNotificationLimit) {
                    let chunk = Array(group[start..<min(group.count, start + Self.outboundNotificationLimit)])
                    let ids = chunk.map { _ in
                        sequence += 1
                        return SalesforceID.make(prefix: "04l", sequence: sequence)
                    }
                    let body = Self.outboundMessage(chunk, notificationIDs: ids, actionID: SalesforceID.make(prefix: "04k", sequence: index + 1),
                                                    baseURL: call.request.baseURL, version: call.version)
                    environment.deliver(SandboxWebhook(url: subscription.url, headers: ["Content-Type": "text/xml; charset=utf-8", "SOAPAction": "\"\""],
                                                       body: Data(body.utf8)))
                }
            }
        }
    }

    /// The SOAP envelope of one outbound message.
    static func outboundMessage(_ records: [SalesforceRecord], notificationIDs: [String], actionID: String, baseURL: String, version: String) -> String {
        let number = version.dropFirst()
        var xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
         <soapenv:Body>
          <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
           <OrganizationId>\(organizationID)</OrganizationId>
           <ActionId>\(actionID)</ActionId>
           <SessionId xsi:nil="true"/>
           <EnterpriseUrl>\(escape(baseURL))/services/Soap/c/\(number)/\(organizationID.prefix(15))</EnterpriseUrl>
           <PartnerUrl>\(escape(baseURL))/services/Soap/u/\(number)/\(organizationID.prefix(15))</PartnerUrl>

        """
        for (record, id) in zip(records, notificationIDs) {
            let object = SalesforceCatalog.object(record.type)
            xml += "   <Notification>\n    <Id>\(id)</Id>\n    <sObject xsi:type=\"sf:\(record.type)\" xmlns:sf=\"urn:sobject.enterprise.soap.sforce.com\">\n"
            for field in object?.fields ?? [] {
                guard let text = record[field.name].xmlText else { continue }
                xml += "     <sf:\(field.name)>\(escape(text))</sf:\(field.name)>\n"
            }
            xml += "    </sObject>\n   </Notification>\n"
        }
        xml += "  </notifications>\n </soapenv:Body>\n</soapenv:Envelope>\n"
        return xml
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
