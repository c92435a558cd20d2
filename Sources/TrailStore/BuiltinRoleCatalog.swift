import Foundation

/// The GUIDs of the built-in roles every store knows (`builtin_roles`), without opening a store: read
/// from the migrations that insert them. The collector fetches only the definitions of other roles.
public enum BuiltinRoleCatalog {
    /// Lower-case role definition GUIDs.
    public static let guids: Set<String> = {
        let pattern = #"INSERT INTO builtin_roles VALUES \(\s*'([0-9a-fA-F-]{36})'"#
        guard let expression = try? NSRegularExpression(pattern: pattern) else { return [] }
        var guids: Set<String> = []
        for migration in Migration.all {
            let text = migration.sql as NSString
            for match in expression.matches(in: migration.sql, range: NSRange(location: 0, length: text.length)) {
                guids.insert(text.substring(with: match.range(at: 1)).lowercased())
            }
        }
        return guids
    }()
}
