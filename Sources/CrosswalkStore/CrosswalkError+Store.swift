import CrosswalkCore

extension CrosswalkError.Code {
    /// The database was written by a newer Crosswalk than this one: its schema version is higher
    /// than any migration this binary knows.
    public static let storeSchemaTooNew = CrosswalkError.Code("store_schema_too_new")
}
