import Foundation

/// Records as the REST API returns them: an `attributes` block, then fields by their API names, in the
/// order selected (describe order for whole records). Written straight from packed rows.
enum SalesforceRender {
    /// The keys of an address value and the component each comes from, in Salesforce's key order.
    static let addressParts = [("city", "City"), ("country", "Country"), ("geocodeAccuracy", "GeocodeAccuracy"), ("latitude", "Latitude"),
                               ("longitude", "Longitude"), ("postalCode", "PostalCode"), ("state", "State"), ("street", "Street")]

    /// What to write for one selected item.
    enum Item {
        case field(ordinal: Int)
        /// A compound address: the ordinals of its parts (in `addressParts` order; −1 when absent).
        case address(parts: [Int])
        /// Fields on the parent reached through lookup `ordinal` (`Account.Name`): per possible parent
        /// object, the items to write.
        case parent(ordinal: Int, targets: [String: [(name: String, item: Item)]])
    }

    /// The render plan of a query's (or a record read's) fields on `object`.
    struct Plan {
        let object: SalesforceObject
        let items: [(name: String, item: Item)]

        init(_ object: SalesforceObject, fields: [SalesforceField]) {
            self.init(object, paths: fields.map { SOQLFieldPath(lookup: nil, field: $0, on: object) })
        }

        init(_ object: SalesforceObject, paths: [SOQLFieldPath]) {
            self.object = object
            // Parent fields are grouped under their relationship, where the first of them was selected.
            var order: [(name: String, own: SalesforceField?, lookup: SalesforceField?)] = []
            var parentFields: [String: [String]] = [:]
            for path in paths {
                if let lookup = path.lookup, let relationship = lookup.relationshipName {
                    if parentFields[relationship] == nil { order.append((relationship, nil, lookup)) }
                    parentFields[relationship, default: []].append(path.field.name)
                } else {
                    order.append((path.field.name, path.field, nil))
                }
            }
            items = order.map { entry in
                if let field = entry.own { return (entry.name, Self.item(field, object)) }
                let lookup = entry.lookup!
                var targets: [String: [(name: String, item: Item)]] = [:]
                for target in lookup.referenceTo.compactMap(SalesforceCatalog.object) {
                    targets[target.name] = parentFields[entry.name, default: []].compactMap { name in
                        target.field(name).map { ($0.name, Self.item($0, target)) }
                    }
                }
                return (entry.name, .parent(ordinal: object.ordinal(lookup.name) ?? -1, targets: targets))
            }
        }

        static func item(_ field: SalesforceField, _ object: SalesforceObject) -> Item {
            guard field.type == .address else { return .field(ordinal: object.ordinal(field.name) ?? -1) }
            let prefix = String(field.name.dropLast("Address".count))
            return .address(parts: addressParts.map { object.ordinal(prefix + $0.1) ?? -1 })
        }
    }

    /// `{"type":…,"url":…}`
    static func attributes(_ w: inout SalesforceJSONWriter, type: String, key: SalesforceIDKey, version: String) {
        w.raw("{\"type\":")
        w.string(type)
        w.raw(",\"url\":\"/services/data/")
        w.raw(version)
        w.raw("/sobjects/")
        w.raw(type)
        w.byte(0x2F)
        var id: [UInt8] = []
        id.reserveCapacity(18)
        key.append(to: &id)
        w.bytes.append(contentsOf: id)
        w.raw("\"}")
    }

    /// Scratch space for one rendering pass (field offsets of the current row and of a parent row).
    struct Scratch {
        var offsets: [Int32] = []
        var parentOffsets: [Int32] = []
    }

    /// One row as a JSON object, per `plan`.
    static func row(_ w: inout SalesforceJSONWriter, _ row: SalesforceRow, _ plan: Plan, store: SalesforceStore, version: String,
                    scratch: inout Scratch) {
        let object = plan.object
        if scratch.offsets.count != object.fields.count { scratch.offsets = Array(repeating: -1, count: object.fields.count) }
        w.raw("{\"attributes\":")
        attributes(&w, type: object.name, key: row.key, version: version)
        row.packed.withUnsafeBufferPointer { bytes in
            SalesforceRow.offsets(bytes, into: &scratch.offsets)
            items(&w, bytes, plan.items, scratch.offsets, store: store, version: version, parentScratch: &scratch.parentOffsets)
        }
        w.byte(0x7D)
    }

    /// The field value whose entry sits at `at` (−1: null).
    static func value(_ w: inout SalesforceJSONWriter, _ bytes: UnsafeBufferPointer<UInt8>, _ at: Int) {
        guard at >= 0 else { return w.null() }
        switch bytes[at + 1] {
        case SalesforceRow.Tag.text.rawValue:
            w.string(utf8: UnsafeBufferPointer(rebasing: bytes[SalesforceRow.textRange(bytes, at)]))
        case SalesforceRow.Tag.number.rawValue:
            w.number(Double(bitPattern: UInt64(bitPattern: SalesforceRow.int64(bytes, at + 2))))
        case SalesforceRow.Tag.falseValue.rawValue: w.bool(false)
        case SalesforceRow.Tag.trueValue.rawValue: w.bool(true)
        case SalesforceRow.Tag.dateTime.rawValue: w.dateTime(seconds: SalesforceRow.int64(bytes, at + 2))
        case SalesforceRow.Tag.date.rawValue: w.quotedDate(days: Int(SalesforceRow.int32(bytes, at + 2)))
        default: w.null()
        }
    }

    /// A compound address from its parts' entries, or `null` when all are empty.
    static func address(_ w: inout SalesforceJSONWriter, _ bytes: UnsafeBufferPointer<UInt8>, _ parts: [Int]) {
        guard parts.contains(where: { $0 >= 0 }) else { return w.null() }
        w.byte(0x7B)
        for (k, part) in parts.enumerated() {
            if k > 0 { w.byte(0x2C) }
            w.key(addressParts[k].0)
            value(&w, bytes, part)
        }
        w.byte(0x7D)
    }

    /// `,"name":value` for each item, reading the row's entries through `offsets`.
    private static func items(_ w: inout SalesforceJSONWriter, _ bytes: UnsafeBufferPointer<UInt8>, _ items: [(name: String, item: Item)],
                              _ offsets: [Int32], store: SalesforceStore?, version: String, parentScratch: inout [Int32]) {
        for (name, item) in items {
            w.byte(0x2C)
            w.key(name)
            switch item {
            case .field(let ordinal):
                value(&w, bytes, ordinal < 0 ? -1 : Int(offsets[ordinal]))
            case .address(let parts):
                address(&w, bytes, parts.map { $0 < 0 ? -1 : Int(offsets[$0]) })
            case .parent(let ordinal, let targets):
                guard let store else { w.null(); continue }
                parent(&w, bytes, ordinal < 0 ? -1 : Int(offsets[ordinal]), targets, store: store, version: version, scratch: &parentScratch)
            }
        }
    }

    /// The parent's selected fields under its relationship name, or `null` without a parent.
    private static func parent(_ w: inout SalesforceJSONWriter, _ bytes: UnsafeBufferPointer<UInt8>, _ at: Int,
                               _ targets: [String: [(name: String, item: Item)]], store: SalesforceStore, version: String,
                               scratch: inout [Int32]) {
        guard at >= 0, bytes[at + 1] == SalesforceRow.Tag.text.rawValue else { return w.null() }
        let range = SalesforceRow.textRange(bytes, at)
        guard range.count == 18, let key = SalesforceIDKey(bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[range]))),
              let object = SalesforceCatalog.object(keyPrefix: Substring(key.keyPrefix)), let items = targets[object.name],
              let table = store.table(object.name), let position = table.position(key) else { return w.null() }
        let parent = table[position]
        if scratch.count != object.fields.count { scratch = Array(repeating: -1, count: object.fields.count) }
        w.raw("{\"attributes\":")
        attributes(&w, type: object.name, key: parent.key, version: version)
        var none: [Int32] = []
        parent.packed.withUnsafeBufferPointer { parentBytes in
            SalesforceRow.offsets(parentBytes, into: &scratch)
            Self.items(&w, parentBytes, items, scratch, store: nil, version: version, parentScratch: &none)
        }
        w.byte(0x7D)
    }

    /// A whole record (or `fields` of it) as `sobjects/{type}/{id}` returns it.
    static func record(_ row: SalesforceRow, _ object: SalesforceObject, fields: [SalesforceField]? = nil, store: SalesforceStore,
                       version: String) -> Data {
        var w = SalesforceJSONWriter(capacity: 2048)
        var scratch = Scratch()
        Self.row(&w, row, Plan(object, fields: fields ?? object.fields), store: store, version: version, scratch: &scratch)
        return w.data
    }

    static func attributesJSON(_ type: String, id: String?, version: String) -> [String: Any] {
        var attributes: [String: Any] = ["type": type]
        if let id { attributes["url"] = "/services/data/\(version)/sobjects/\(type)/\(id)" }
        return attributes
    }
}
