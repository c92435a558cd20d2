import Foundation

/// The password to log in with, found as libpq finds it: `PGPASSWORD`, else the first matching line of the
/// password file (`PGPASSFILE`, else `~/.pgpass`), `hostname:port:database:username:password` with `*` for any
/// value and `\` escaping `:` and `\`. Like libpq, a password file that its group or others can read is ignored.
public enum PasswordFile {
    public static func password(for url: TeamStoreURL, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let password = environment["PGPASSWORD"], !password.isEmpty { return password }
        let path = environment["PGPASSFILE"] ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.pgpass"
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let permissions = attributes[.posixPermissions] as? Int, permissions & 0o077 == 0,
              let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return password(in: text, for: url)
    }

    /// The password of the first line of `text` that matches the URL's host, port, database and user.
    public static func password(in text: String, for url: TeamStoreURL) -> String? {
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = self.fields(of: String(line))
            guard fields.count == 5 else { continue }
            let wanted = [url.host, String(url.port), url.database, url.user]
            let matches = zip(fields.prefix(4), wanted).allSatisfy { field, value in field == "*" || field == value }
            if matches { return fields[4] }
        }
        return nil
    }

    /// A line's fields, split at unescaped colons, escapes removed.
    static func fields(of line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ":" && fields.count < 4 {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }
}
