import GRDB
import GRDBSQLite
import TrailModel

extension NamedQuery {
    /// The values to bind for `given` (`name → text`), checked against `expected`: an unknown or
    /// missing parameter is an error naming the expected ones, a left-out optional one is NULL,
    /// and a time is normalised to the store's form so that text comparison is time comparison.
    public static func arguments(_ given: [String: String], expected: [Parameter]) throws -> [String: String?] {
        let names = expected.map(\.name)
        if let unknown = given.keys.sorted().first(where: { !names.contains($0) }) {
            throw StoreError.unknownParameter(name: unknown, expected: names)
        }
        var arguments: [String: String?] = [:]
        for parameter in expected {
            guard let value = given[parameter.name] else {
                guard parameter.isOptional else { throw StoreError.missingParameter(name: parameter.name, expected: names) }
                arguments[parameter.name] = .some(nil)
                continue
            }
            arguments[parameter.name] = try parameter.normalized(value)
        }
        return arguments
    }
}

extension NamedQuery.Parameter {
    /// The value as bound: a time in the store's form, anything else as given.
    func normalized(_ value: String) throws -> String {
        guard type == .time else { return value }
        // A time without seconds means its first second; a bare date, its midnight (UTC without a zone).
        let readings = [value, value + ":00", value + "T00:00:00"]
        guard let time = readings.lazy.compactMap(TimestampParser.parse).first else {
            throw StoreError.invalidParameter(name: name, value: value, reason: "not an ISO 8601 time such as \(example ?? "2026-03-04T10:00:00Z")")
        }
        return time.iso8601
    }
}

extension EvidenceStore {
    /// The named parameters (`:name`, `@name`, `$name`) an SQL statement uses, without their sigil, in order.
    public func parameterNames(in sql: String) throws -> [String] {
        try queue.inDatabase { db in
            let statement = try Self.prepare(sql, in: db)
            let count = sqlite3_bind_parameter_count(statement.sqliteStatement)
            var names: [String] = []
            for index in stride(from: Int32(1), through: count, by: 1) {
                guard let name = sqlite3_bind_parameter_name(statement.sqliteStatement, index) else { continue }
                let text = String(String(cString: name).dropFirst())
                if !names.contains(text) { names.append(text) }
            }
            return names
        }
    }
}
