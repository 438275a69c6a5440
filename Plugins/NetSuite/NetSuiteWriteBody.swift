import CrosswalkPluginKit

/// The JSON body of one record write: the record's fields as the record service takes them — references as
/// `{"id": …}` (a bare id string is wrapped), links set on their reference field (`contact.company`,
/// `invoice.entity`), read-only and bookkeeping fields left out.
struct NetSuiteWriteBody {
    let object: NetSuiteObject
    /// The catalog's fields when this instance fetched them (writes never fetch them: one call per record).
    let schema: NetSuiteSchema?

    static let neverSent: Set<String> = ["id", "links", "lastModifiedDate", "dateCreated", "createdDate", "refName"]

    /// The body, or the error and offending field when a link cannot be made.
    func body(_ item: WriteRequest.Item, dropping: Set<String> = []) -> Result<JSONValue, ConnectorError> {
        var body: [String: JSONValue] = [:]
        for (name, value) in item.fields where !Self.neverSent.contains(name) && !dropping.contains(name) {
            if let field = schema?.field(name), field.readOnly { continue }
            body[name] = isReference(name) ? reference(value) : value
        }
        for link in item.links ?? [] {
            let field = link.type.flatMap { isReference($0) ? $0 : nil } ?? object.linkField(to: link.object)
            guard let field else {
                return .failure(ConnectorError(.invalidArgument,
                                               "a \(object.name) cannot link to a \(link.object)\(link.type.map { " as \($0)" } ?? "") (links: \(object.linkFields.map { "\($0.key) → \($0.value)" }.sorted().joined(separator: ", ")))",
                                               fields: link.type.map { [$0] }))
            }
            body[field] = ["id": .string(link.id)]
        }
        return .success(.object(body))
    }

    private func isReference(_ name: String) -> Bool {
        guard let field = schema?.field(name) else { return object.references[name] != nil }
        if case .reference = field.kind { return true }
        return false
    }

    /// `"101"` or `101` → `{"id": "101"}`; objects (`{"id"}`, `{"externalId"}`) and null pass unchanged.
    private func reference(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let s): ["id": .string(s)]
        case .number(let n): ["id": .string(n.text)]
        default: value
        }
    }
}
