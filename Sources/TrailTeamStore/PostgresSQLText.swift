import Foundation

/// PostgreSQL text as the team store handles it: named parameters and statement boundaries.
///
/// The twins use `:name` parameters as the SQLite queries do; the team store turns them into PostgreSQL's
/// positional `$1`, `$2`... before running a statement. A `:name` or a `;` counts only in code: outside string
/// literals, quoted identifiers, dollar-quoted strings and comments (and `::type` is a cast, not a parameter).
enum PostgresSQLText {
    /// The statement with positional parameters, and the names in position order (one position per name).
    static func positional(_ sql: String) -> (sql: String, names: [String]) {
        let scalars = Array(sql.unicodeScalars)
        var output = String.UnicodeScalarView()
        var names: [String] = []
        var copied = 0
        for region in codeRegions(scalars) {
            var index = region.lowerBound
            while index < region.upperBound {
                let next = index + 1 < region.upperBound ? scalars[index + 1] : nil
                if scalars[index] == ":" && next == ":" {
                    index += 2
                } else if scalars[index] == ":", let next, isNameStart(next) {
                    var end = index + 1
                    while end < region.upperBound, isNamePart(scalars[end]) { end += 1 }
                    let name = String(String.UnicodeScalarView(scalars[index + 1..<end]))
                    if !names.contains(name) { names.append(name) }
                    output.append(contentsOf: scalars[copied..<index])
                    output.append(contentsOf: "$\(names.firstIndex(of: name)! + 1)".unicodeScalars)
                    copied = end
                    index = end
                } else {
                    index += 1
                }
            }
        }
        output.append(contentsOf: scalars[copied...])
        return (String(output), names)
    }

    /// The statements of a script, split at the semicolons in code, without empty ones.
    static func statements(_ script: String) -> [String] {
        let scalars = Array(script.unicodeScalars)
        var statements: [String] = []
        var start = 0
        func take(_ end: Int) {
            let text = String(String.UnicodeScalarView(scalars[start..<end])).trimmingCharacters(in: .whitespacesAndNewlines)
            let code = text.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("--") }
            if !code.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { statements.append(text) }
        }
        for region in codeRegions(scalars) {
            for index in region where scalars[index] == ";" {
                take(index)
                start = index + 1
            }
        }
        take(scalars.count)
        return statements
    }

    static func isNameStart(_ scalar: Unicode.Scalar) -> Bool { scalar == "_" || scalar.properties.isAlphabetic }
    static func isNamePart(_ scalar: Unicode.Scalar) -> Bool { isNameStart(scalar) || ("0"..."9").contains(scalar) }

    /// The ranges of the text that are code, in order.
    static func codeRegions(_ scalars: [Unicode.Scalar]) -> [Range<Int>] {
        var regions: [Range<Int>] = []
        var codeStart = 0
        var index = 0
        func skip(to end: Int) {
            if codeStart < index { regions.append(codeStart..<index) }
            index = min(end, scalars.count)
            codeStart = index
        }
        while index < scalars.count {
            let next = index + 1 < scalars.count ? scalars[index + 1] : nil
            switch scalars[index] {
            case "'", "\"":
                skip(to: endOfQuoted(scalars, from: index))
            case "-" where next == "-":
                skip(to: find(["\n"], in: scalars, from: index))
            case "/" where next == "*":
                skip(to: find(["*", "/"], in: scalars, from: index + 2))
            case "$" where next.map { $0 == "$" || isNameStart($0) } ?? false:
                var tagEnd = index + 1
                while tagEnd < scalars.count, scalars[tagEnd] != "$", isNamePart(scalars[tagEnd]) { tagEnd += 1 }
                if tagEnd < scalars.count, scalars[tagEnd] == "$" {
                    skip(to: find(Array(scalars[index...tagEnd]), in: scalars, from: tagEnd + 1))
                } else {
                    index += 1
                }
            default:
                index += 1
            }
        }
        if codeStart < scalars.count { regions.append(codeStart..<scalars.count) }
        return regions
    }

    /// The end of the string or identifier quoted at `start` (a doubled quote stays inside).
    static func endOfQuoted(_ scalars: [Unicode.Scalar], from start: Int) -> Int {
        let quote = scalars[start]
        var position = start + 1
        while position < scalars.count {
            if scalars[position] == quote {
                if position + 1 < scalars.count, scalars[position + 1] == quote { position += 2; continue }
                return position + 1
            }
            position += 1
        }
        return scalars.count
    }

    /// The position just after the first `terminator` at or after `start` (the end when there is none).
    static func find(_ terminator: [Unicode.Scalar], in scalars: [Unicode.Scalar], from start: Int) -> Int {
        var position = start
        while position + terminator.count <= scalars.count {
            if scalars[position..<position + terminator.count].elementsEqual(terminator) { return position + terminator.count }
            position += 1
        }
        return scalars.count
    }
}
