/// Crosswalk's own version.
public enum CrosswalkVersion {
    /// The release version of this build.
    public static let current = "0.1.0"
}
