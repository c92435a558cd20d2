/// The version of mitrail, stored with every source it ingests.
public enum ToolVersion {
    public static let current = "0.1.0"
}
