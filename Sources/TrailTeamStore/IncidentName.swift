import Foundation

/// The name of an incident in a team store: the PostgreSQL schema its rows live in.
///
/// Lower-case letters, digits and `_`, starting with a letter, at most 63 bytes (PostgreSQL's limit), never a
/// name PostgreSQL keeps for itself (`pg_...`, `information_schema`, `public`). Being plain, it is always quoted
/// the same way and needs no escaping where it names the schema.
public enum IncidentName {
    /// The default incident of a store file: its name without the extension, sanitised (`Contoso 2026-03.db` →
    /// `contoso_2026_03`).
    public static func from(storePath: String) -> String {
        let base = URL(fileURLWithPath: storePath).deletingPathExtension().lastPathComponent.lowercased()
        var name = String(base.unicodeScalars.map { scalar -> Character in
            ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) ? Character(scalar) : "_"
        })
        while name.contains("__") { name = name.replacingOccurrences(of: "__", with: "_") }
        name = String(name.trimmingCharacters(in: CharacterSet(charactersIn: "_")).prefix(63))
        if name.isEmpty { name = "incident" }
        if !(name.first?.isLetter ?? false) || isReserved(name) { name = String(("incident_" + name).prefix(63)) }
        return name
    }

    /// The name as given, when it is a valid incident name; the error says what a valid one looks like.
    public static func validated(_ name: String) throws -> String {
        let valid = !name.isEmpty && name.utf8.count <= 63 && (name.first.map { ("a"..."z").contains($0) } ?? false)
            && name.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
        guard valid, !isReserved(name) else { throw TeamStoreError.badIncidentName(name) }
        return name
    }

    static func isReserved(_ name: String) -> Bool {
        name.hasPrefix("pg_") || ["information_schema", "public"].contains(name)
    }

    /// The name quoted as an SQL identifier (valid names need no escaping).
    static func quoted(_ name: String) -> String {
        "\"" + name + "\""
    }
}
