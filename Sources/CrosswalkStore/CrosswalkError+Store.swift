import CrosswalkCore

extension CrosswalkError.Code {
    /// The database was written by a newer Crosswalk than this one: its schema version is higher
    /// than any migration this binary knows.
    public static let storeSchemaTooNew = CrosswalkError.Code("store_schema_too_new")
}

extension CrosswalkError.Code {
    /// A commit carried a lease's fencing token after another host took the lease over (or it lapsed):
    /// nothing was written. The host must stop the work the lease covered.
    public static let fenced = CrosswalkError.Code("fenced")
}
