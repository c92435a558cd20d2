import GRDBSQLite
import NIOCore

/// A value PostgreSQL's column cannot hold as SQLite has it, kept exactly in the incident's `exact_values` table.
///
/// Text with a NUL byte (or bytes that are not UTF-8), which PostgreSQL refuses in `text`, is stored in its column
/// with each NUL as U+2400 (SYMBOL FOR NULL, one character for one, so that positions and lengths stay) and any
/// invalid byte as U+FFFD; a value of another type than its column's (a text in an integer column, an 8-byte blob
/// in `records.digest`) is stored as NULL or its text. `exact_values` holds the value as SQLite had it: its type
/// and its bytes (text and blobs as they are, integers and reals as 8 bytes big-endian). `verify` reads them back.
struct ExactValue: Sendable, Equatable {
    enum StorageClass: String, Sendable {
        case integer, real, text, blob
    }

    let table: String
    let rowID: Int64
    let column: String
    let storageClass: StorageClass
    let bytes: [UInt8]
}

/// Writes rows of SQLite statements as PostgreSQL `COPY ... FROM STDIN` text: tab between columns, a newline
/// after each row, `\N` for NULL, backslash escapes, `bytea` as `\\x` hex.
struct CopyEncoder {
    var buffer = ByteBuffer()
    var exactValues: [ExactValue] = []
    var rows = 0

    /// The row the statement is at: its columns in the table's order (`keyIndex`: the integer key column that
    /// names the row in `exact_values`, nil for a table without one).
    mutating func appendRow(_ statement: OpaquePointer, table: TableCopy, keyIndex: Int?) throws {
        let key = keyIndex.map { sqlite3_column_int64(statement, Int32($0)) }
        for (index, column) in table.columns.enumerated() {
            if index > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
            let position = Int32(index)
            let storage = sqlite3_column_type(statement, position)
            if storage == SQLITE_NULL {
                buffer.writeStaticString("\\N")
                continue
            }
            if let exact = try appendValue(statement, position, storage: storage, type: column.type) {
                guard let key else {
                    throw TeamStoreError.unsupportedValue(table: table.name, column: column.name,
                                                          reason: "a \(exact.rawValue) value PostgreSQL cannot hold as it is, in a table without an integer key")
                }
                exactValues.append(ExactValue(table: table.name, rowID: key, column: column.name, storageClass: exact,
                                              bytes: Self.exactBytes(statement, position, exact)))
            }
        }
        buffer.writeInteger(UInt8(ascii: "\n"))
        rows += 1
    }

    /// Writes one non-NULL value; returns its storage class when the column could not take it as it is.
    mutating func appendValue(_ statement: OpaquePointer, _ position: Int32, storage: Int32,
                              type: TableCopy.ColumnType) throws -> ExactValue.StorageClass? {
        switch (type, storage) {
        case (.bigint, SQLITE_INTEGER), (.numeric, SQLITE_INTEGER):
            buffer.writeString(String(sqlite3_column_int64(statement, position)))
            return nil
        case (.numeric, SQLITE_FLOAT), (.doublePrecision, SQLITE_FLOAT):
            let real = sqlite3_column_double(statement, position)
            guard real.isFinite else {
                buffer.writeStaticString("\\N")
                return .real
            }
            buffer.writeString(real.description)
            return nil
        case (.text, SQLITE_TEXT):
            return appendText(statement, position) ? nil : .text
        case (.bytea, SQLITE_BLOB), (.undeclared, SQLITE_BLOB):
            let count = Int(sqlite3_column_bytes(statement, position))
            appendHex(UnsafeRawBufferPointer(start: sqlite3_column_blob(statement, position), count: count))
            // In an undeclared column 8 bytes read back as an integer: an 8-byte blob is noted as a blob.
            return type == .undeclared && count == 8 ? .blob : nil
        case (.undeclared, SQLITE_INTEGER):
            var integer = sqlite3_column_int64(statement, position).bigEndian
            withUnsafeBytes(of: &integer) { appendHex($0) }
            return nil
        case (.text, SQLITE_INTEGER), (.text, SQLITE_FLOAT):
            _ = appendText(statement, position)
            return storage == SQLITE_INTEGER ? .integer : .real
        default:
            buffer.writeStaticString("\\N")
            switch storage {
            case SQLITE_INTEGER: return .integer
            case SQLITE_FLOAT: return .real
            case SQLITE_TEXT: return .text
            default: return .blob
            }
        }
    }

    /// Writes a text value escaped; false when it had to be substituted (NUL, or not UTF-8).
    mutating func appendText(_ statement: OpaquePointer, _ position: Int32) -> Bool {
        guard let text = sqlite3_column_text(statement, position) else { return true }
        let bytes = UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(statement, position)))
        var hasNUL = false, hasHighBytes = false, needsEscape = false
        for byte in bytes where byte < 0x20 || byte == 0x5C || byte >= 0x80 {
            if byte == 0 { hasNUL = true } else if byte >= 0x80 { hasHighBytes = true } else { needsEscape = true }
        }
        let plain = !hasNUL && (!hasHighBytes || String(validating: bytes, as: UTF8.self) != nil)
        if plain && !needsEscape {
            buffer.writeBytes(UnsafeRawBufferPointer(bytes))
            return true
        }
        if plain {
            appendEscaped(bytes)
            return true
        }
        let substitute = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\u{0}", with: "\u{2400}")
        var utf8 = Array(substitute.utf8)
        utf8.withUnsafeMutableBufferPointer { appendEscaped(UnsafeBufferPointer($0)) }
        return false
    }

    mutating func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>) {
        for byte in bytes {
            switch byte {
            case 0x5C: buffer.writeStaticString("\\\\")
            case 0x0A: buffer.writeStaticString("\\n")
            case 0x0D: buffer.writeStaticString("\\r")
            case 0x09: buffer.writeStaticString("\\t")
            default: buffer.writeInteger(byte)
            }
        }
    }

    static let hexDigits = Array("0123456789abcdef".utf8)

    /// `\\x` and the bytes in hex (the backslash doubled: COPY's own escape comes first).
    mutating func appendHex(_ bytes: UnsafeRawBufferPointer) {
        buffer.writeStaticString("\\\\x")
        for byte in bytes {
            buffer.writeInteger(Self.hexDigits[Int(byte >> 4)])
            buffer.writeInteger(Self.hexDigits[Int(byte & 0x0F)])
        }
    }

    /// The value's exact bytes: text and blobs as they are, integers and reals as 8 bytes big-endian.
    static func exactBytes(_ statement: OpaquePointer, _ position: Int32, _ storageClass: ExactValue.StorageClass) -> [UInt8] {
        switch storageClass {
        case .integer: return withUnsafeBytes(of: sqlite3_column_int64(statement, position).bigEndian, Array.init)
        case .real: return withUnsafeBytes(of: sqlite3_column_double(statement, position).bitPattern.bigEndian, Array.init)
        case .text:
            let count = Int(sqlite3_column_bytes(statement, position))
            return sqlite3_column_text(statement, position).map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
        case .blob:
            let count = Int(sqlite3_column_bytes(statement, position))
            return sqlite3_column_blob(statement, position).map { Array(UnsafeRawBufferPointer(start: $0, count: count)) } ?? []
        }
    }

    /// The `exact_values` rows gathered, as COPY text.
    static func encode(_ values: [ExactValue]) -> ByteBuffer {
        var encoder = CopyEncoder()
        for value in values {
            encoder.buffer.writeString("\(value.table)\t\(value.rowID)\t\(value.column)\t\(value.storageClass.rawValue)\t")
            value.bytes.withUnsafeBytes { encoder.appendHex($0) }
            encoder.buffer.writeInteger(UInt8(ascii: "\n"))
        }
        return encoder.buffer
    }
}
