import CrosswalkPluginKit

/// SOQL text: quoted literals and the ABI's filter pushed down into a `WHERE` clause
/// (*SOQL and SOSL Reference › Quoted String Escape Sequences*, *Comparison Operators*).
enum SOQL {
    /// A string literal: `'O\'Brien'`, with SOQL's escape sequences for quotes, backslashes and
    /// control characters.
    static func quote(_ text: String) -> String {
        var out = "'"
        out.reserveCapacity(text.utf8.count + 2)
        for ch in text.unicodeScalars {
            switch ch {
            case "'": out += "\\'"
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out + "'"
    }

    /// `2024-05-01T09:30:00Z` (unquoted: SOQL datetime literals are not strings).
    static func dateTime(_ seconds: Int64) -> String { SalesforceTime.text(seconds) }

    /// A pushed-down filter: the SOQL condition and whether Salesforce applies it exactly as the
    /// host would (text comparisons in SOQL ignore case, so they are never exact).
    struct Condition {
        var soql: String
        var exact: Bool
    }

    /// What of `filter` SOQL can say: `nil` when nothing; `complete` false when parts of an `and`
    /// were left to the host.
    static func translate(_ filter: Filter, _ object: SalesforceObjectDescribe) -> (condition: Condition, complete: Bool)? {
        switch filter {
        case .and(let parts):
            let translated = parts.map { translate($0, object) }
            let pushed = translated.compactMap { $0 }
            guard !pushed.isEmpty else { return nil }
            let complete = pushed.count == parts.count && pushed.allSatisfy(\.complete)
            let text = pushed.count == 1 ? pushed[0].condition.soql : pushed.map { "(\($0.condition.soql))" }.joined(separator: " AND ")
            return (Condition(soql: text, exact: pushed.allSatisfy(\.condition.exact)), complete)
        case .or(let parts):
            // Part of an OR cannot be left to the host: all of it or nothing.
            var texts: [String] = []
            var exact = true
            for part in parts {
                guard let t = translate(part, object), t.complete else { return nil }
                texts.append("(\(t.condition.soql))")
                exact = exact && t.condition.exact
            }
            guard !texts.isEmpty else { return nil }
            return (Condition(soql: texts.joined(separator: " OR "), exact: exact), true)
        case .not(let inner):
            guard let t = translate(inner, object), t.complete else { return nil }
            return (Condition(soql: "NOT (\(t.condition.soql))", exact: t.condition.exact), true)
        case .isNull(let name, let isNull):
            guard let field = filterable(name, object) else { return nil }
            return (Condition(soql: "\(field.name) \(isNull ? "=" : "!=") null", exact: true), true)
        case .oneOf(let name, let values):
            guard let field = filterable(name, object), !values.isEmpty else { return nil }
            var literals: [String] = []
            var exact = true
            for value in values {
                guard let l = literal(value, field) else { return nil }
                literals.append(l.text)
                exact = exact && l.exact
            }
            return (Condition(soql: "\(field.name) IN (\(literals.joined(separator: ", ")))", exact: exact), true)
        case .compare(let op, let name, let value):
            guard let field = filterable(name, object), let l = literal(value, field) else { return nil }
            let symbol: String
            switch op {
            case "eq": symbol = "="
            case "ne": symbol = "!="
            case "lt": symbol = "<"
            case "le": symbol = "<="
            case "gt": symbol = ">"
            case "ge": symbol = ">="
            default: return nil
            }
            if value.isNull, symbol != "=" && symbol != "!=" { return nil }
            // Ordering text differs (SOQL ignores case); booleans do not order in SOQL.
            if field.type == "boolean", symbol != "=" && symbol != "!=" { return nil }
            return (Condition(soql: "\(field.name) \(symbol) \(l.text)", exact: l.exact), true)
        }
    }

    private static func filterable(_ name: String, _ object: SalesforceObjectDescribe) -> SalesforceFieldDescribe? {
        guard let field = object.field(name), field.filterable, !field.isCompound, field.type != "multipicklist",
              field.type != "textarea" || field.length <= 255 else { return nil }
        return field
    }

    /// A value as a SOQL literal for `field`, or `nil` when its JSON type does not fit the field's type.
    private static func literal(_ value: JSONValue, _ field: SalesforceFieldDescribe) -> (text: String, exact: Bool)? {
        if value.isNull { return ("null", true) }
        switch field.type {
        case "boolean":
            guard let b = value.boolValue else { return nil }
            return (b ? "TRUE" : "FALSE", true)
        case "double", "currency", "percent", "int", "long":
            guard let n = value.numberValue else { return nil }
            return (n.text, true)
        case "date":
            guard let s = value.stringValue, let seconds = SalesforceTime.dateSeconds(s) ?? SalesforceTime.seconds(s) else { return nil }
            return (SalesforceTime.dateText(seconds), SalesforceTime.dateSeconds(s) != nil)
        case "datetime":
            guard let s = value.stringValue, let seconds = SalesforceTime.seconds(s) else { return nil }
            // Records carry `2024-05-01T09:30:00Z`: the host compares the same text only when the value is written so.
            return (dateTime(seconds), SalesforceTime.text(seconds) == s)
        case "id", "reference":
            guard let s = value.stringValue, SalesforceIDs.isWellFormed(s) else { return nil }
            return (quote(s), s.utf8.count == 18)
        default:
            guard field.isText, let s = value.stringValue else { return nil }
            return (quote(s), false)
        }
    }
}
