import Foundation

/// The command that produced a source, as `sources.command` keeps it: a JSON array of its arguments.
public enum SourceCommand {
    /// The arguments as a JSON array (`["az","role","assignment","list"]`).
    public static func json(_ arguments: [String]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: arguments, options: [.withoutEscapingSlashes])) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// The arguments of a JSON array of strings, or nil when the text is not one.
    public static func arguments(json: String) -> [String]? {
        guard let value = try? JSONSerialization.jsonObject(with: Data(json.utf8)) else { return nil }
        return value as? [String]
    }

    /// The command as one line a POSIX shell reads back into the same arguments: an argument with
    /// anything but letters, digits and `@%+=:,./_-` is put in single quotes.
    public static func shellLine(_ arguments: [String]) -> String {
        arguments.map(shellQuoted).joined(separator: " ")
    }

    static let plainCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%+=:,./_-")

    static func shellQuoted(_ argument: String) -> String {
        if !argument.isEmpty && argument.allSatisfy(plainCharacters.contains) { return argument }
        return "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
