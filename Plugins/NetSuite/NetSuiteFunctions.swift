import CrosswalkPluginKit
import Foundation

/// NetSuite's entity names for mappings: a person as "Last, First" (the form NetSuite's lists sort and show
/// people by), a customer as its company name or, for an individual, that person's name.
enum NetSuiteNames {
    static func entityName(first: String?, last: String?) -> String? {
        let f = first?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let l = last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        switch (f.isEmpty, l.isEmpty) {
        case (false, false): return "\(l), \(f)"
        case (true, false): return l
        case (false, true): return f
        case (true, true): return nil
        }
    }

    static func customerName(company: String?, first: String?, last: String?) -> String? {
        let c = company?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return c.isEmpty ? entityName(first: first, last: last) : c
    }
}

/// `ns_entity_name(first, last)`: "Last, First"; one part alone when the other is empty; null when both are.
@_cdecl("crosswalk_fn_ns_entity_name")
public func nsEntityName(_ first: UnsafePointer<CChar>?, _ last: UnsafePointer<CChar>?) -> UnsafeMutablePointer<CChar>? {
    MappingFunctions.string { NetSuiteNames.entityName(first: MappingFunctions.argument(first), last: MappingFunctions.argument(last)) }
}

/// `ns_customer_name(company, first, last)`: the company name, or for an individual "Last, First".
@_cdecl("crosswalk_fn_ns_customer_name")
public func nsCustomerName(_ company: UnsafePointer<CChar>?, _ first: UnsafePointer<CChar>?, _ last: UnsafePointer<CChar>?) -> UnsafeMutablePointer<CChar>? {
    MappingFunctions.string {
        NetSuiteNames.customerName(company: MappingFunctions.argument(company), first: MappingFunctions.argument(first),
                                   last: MappingFunctions.argument(last))
    }
}
