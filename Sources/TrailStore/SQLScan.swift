/// The parts of an SQL statement that can be rewritten safely: its named parameters and its first words,
/// found outside string literals, quoted identifiers and comments.
struct SQLScan {
    /// A `:name`, `@name` or `$name` parameter: where it is (sigil included) and its name without the sigil.
    struct Parameter: Equatable {
        var range: Range<Int>
        var name: String
    }

    /// A bare word (keyword or identifier): where it is and its text.
    struct Word: Equatable {
        var range: Range<Int>
        var text: String
    }

    /// The statement as Unicode scalars: ranges index into it.
    let scalars: [Unicode.Scalar]
    private(set) var parameters: [Parameter] = []
    /// The first two bare words, enough to tell `WITH RECURSIVE` from `WITH` and `SELECT`.
    private(set) var leadingWords: [Word] = []

    init(_ sql: String) {
        scalars = Array(sql.unicodeScalars)
        var index = 0
        while index < scalars.count {
            index = step(at: index)
        }
    }

    /// The text of `range`.
    func text(_ range: Range<Int>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[range])
        return String(view)
    }

    /// Reads one token (or one character of no interest) at `index`, returns where the next one starts.
    private mutating func step(at index: Int) -> Int {
        let scalar = scalars[index]
        switch scalar {
        case "'", "\"", "`": return end(ofQuoted: index, closing: scalar)
        case "[": return end(ofQuoted: index, closing: "]")
        case "-" where next(index) == "-":
            return scalars[index...].firstIndex(of: "\n").map { $0 + 1 } ?? scalars.count
        case "/" where next(index) == "*":
            var position = index + 2
            while position < scalars.count, !(scalars[position] == "*" && next(position) == "/") { position += 1 }
            return min(position + 2, scalars.count)
        case ":", "@", "$":
            let nameEnd = endOfWord(from: index + 1)
            guard nameEnd > index + 1 else { return index + 1 }
            parameters.append(Parameter(range: index..<nameEnd, name: text(index + 1..<nameEnd)))
            return nameEnd
        default:
            guard Self.startsWord(scalar) else { return index + 1 }
            let wordEnd = endOfWord(from: index)
            if leadingWords.count < 2 { leadingWords.append(Word(range: index..<wordEnd, text: text(index..<wordEnd))) }
            return wordEnd
        }
    }

    private func next(_ index: Int) -> Unicode.Scalar? {
        index + 1 < scalars.count ? scalars[index + 1] : nil
    }

    /// A quoted string or identifier ends at its closing quote; a doubled quote inside it is part of it.
    private func end(ofQuoted start: Int, closing: Unicode.Scalar) -> Int {
        var position = start + 1
        while position < scalars.count {
            if scalars[position] == closing {
                guard closing != "]", next(position) == closing else { return position + 1 }
                position += 2
                continue
            }
            position += 1
        }
        return scalars.count
    }

    private func endOfWord(from start: Int) -> Int {
        var position = start
        while position < scalars.count, Self.continuesWord(scalars[position]) { position += 1 }
        return position
    }

    static func startsWord(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || (scalar.isASCII && scalar.properties.isAlphabetic)
    }

    static func continuesWord(_ scalar: Unicode.Scalar) -> Bool {
        startsWord(scalar) || ("0"..."9").contains(scalar)
    }
}
