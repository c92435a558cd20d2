import Foundation

/// What `docs/QUERIES.md` says about one view of the store: a description and the meaning of its columns.
public struct ViewDocumentation: Sendable, Equatable {
    public var view: String
    public var description: String
    /// Column name → meaning, for the views documented with a `| column | meaning |` table.
    public var columns: [String: String]

    /// The views documented in the embedded `docs/QUERIES.md`, in the order written there.
    public static let all: [ViewDocumentation] = parse(
        EmbeddedFiles.all.first { $0.name == "docs/QUERIES.md" }?.text ?? "")

    /// Reads the `## Views` section: a `### \`name\`: one row per ...` heading, its paragraphs and its
    /// `| column | meaning |` table for each view; bullets ``- `name`: text`` under a heading without a
    /// name (the earlier views, described in one paragraph each).
    static func parse(_ markdown: String) -> [ViewDocumentation] {
        var views: [ViewDocumentation] = []
        var inViews = false, inColumnTable = false, inBullet = false
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("## ") {
                inViews = line == "## Views"
                continue
            }
            guard inViews else { continue }
            if line.hasPrefix("### ") {
                inColumnTable = false
                inBullet = false
                if let (name, summary) = namedItem(line.dropFirst(4)) {
                    views.append(ViewDocumentation(view: name, description: sentence(summary), columns: [:]))
                }
                continue
            }
            if line.hasPrefix("- "), let (name, text) = namedItem(line.dropFirst(2)) {
                views.append(ViewDocumentation(view: name, description: capitalised(text), columns: [:]))
                inBullet = true
                continue
            }
            if inBullet, line.hasPrefix("  "), !views.isEmpty {
                views[views.count - 1].description = join(views[views.count - 1].description, line)
                continue
            }
            inBullet = false
            guard !line.trimmingCharacters(in: .whitespaces).isEmpty else {
                inColumnTable = false  // a blank line ends a table
                continue
            }
            guard !views.isEmpty else { continue }
            if line.hasPrefix("|") {
                let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
                if cells.first == "column" { inColumnTable = true; continue }
                guard inColumnTable, cells.count >= 2, !cells[0].hasPrefix("---") else { continue }
                for column in backquoted(cells[0]) { views[views.count - 1].columns[column] = cells[1] }
            } else {
                inColumnTable = false
                views[views.count - 1].description = join(views[views.count - 1].description, line)
            }
        }
        for index in views.indices { views[index].description = sentence(views[index].description) }
        return resolvingReferences(views)
    }

    /// A column documented as "as in `timeline`" gets the meaning written there.
    static func resolvingReferences(_ views: [ViewDocumentation]) -> [ViewDocumentation] {
        let byName = Dictionary(views.map { ($0.view, $0) }, uniquingKeysWith: { first, _ in first })
        return views.map { view in
            var resolved = view
            for (column, meaning) in view.columns where meaning.hasPrefix("as in `") && meaning.hasSuffix("`") {
                let other = String(meaning.dropFirst("as in `".count).dropLast())
                if let original = byName[other]?.columns[column] { resolved.columns[column] = original }
            }
            return resolved
        }
    }

    /// "`name`: text" → (name, text).
    static func namedItem(_ text: Substring) -> (String, String)? {
        guard text.hasPrefix("`"), let close = text.dropFirst().firstIndex(of: "`") else { return nil }
        let rest = text[text.index(after: close)...]
        guard rest.hasPrefix(":") else { return nil }
        return (String(text[text.index(after: text.startIndex)..<close]), rest.dropFirst().trimmingCharacters(in: .whitespaces))
    }

    /// The backquoted names of a cell such as "`source`, `line`, `pointer`".
    static func backquoted(_ cell: String) -> [String] {
        cell.split(separator: "`", omittingEmptySubsequences: false).enumerated().compactMap { index, piece in
            index % 2 == 1 && !piece.isEmpty ? String(piece) : nil
        }
    }

    /// "one row per record" → "One row per record."
    static func sentence(_ text: String) -> String {
        let text = capitalised(text)
        return text.isEmpty || text.hasSuffix(".") || text.hasSuffix(":") ? text : text + "."
    }

    static func capitalised(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return trimmed.prefix(1).uppercased() + trimmed.dropFirst()
    }

    static func join(_ text: String, _ line: String) -> String {
        text + " " + line.trimmingCharacters(in: .whitespaces)
    }
}
