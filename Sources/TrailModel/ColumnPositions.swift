/// Column name → position in a result's rows, shared by every row of one result (a dictionary per row would cost
/// more than what is done with the row); a name that appears twice is its first column.
public final class ColumnPositions: @unchecked Sendable {
    public let positions: [String: Int]

    public init(_ names: [String]) {
        var positions: [String: Int] = [:]
        for (position, name) in names.enumerated() where positions[name] == nil { positions[name] = position }
        self.positions = positions
    }

    public subscript(name: String) -> Int? { positions[name] }
}
