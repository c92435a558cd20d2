import TrailModel

/// Dates the undated lines of a log by their neighbours: a line without a time takes the time of the
/// line before it (`neighbour`); undated lines at the very start wait for the first dated line, up to
/// `maximumWaiting` of them, and keep no time if none comes.
struct NeighbourDating {
    let maximumWaiting: Int
    private var lastTime: Timestamp?
    private var waiting: [EvidenceRecord] = []

    init(maximumWaiting: Int = 1_000) { self.maximumWaiting = maximumWaiting }

    mutating func take(_ record: EvidenceRecord, into sink: RecordSink) throws {
        var record = record
        if let time = record.time {
            for var earlier in waiting {
                (earlier.time, earlier.timeOrigin) = (time, .neighbour)
                try sink.emit(earlier)
            }
            waiting.removeAll()
            lastTime = time
            try sink.emit(record)
        } else if let lastTime {
            (record.time, record.timeOrigin) = (lastTime, .neighbour)
            try sink.emit(record)
        } else if waiting.count < maximumWaiting {
            waiting.append(record)
        } else {
            try sink.emit(record)
        }
    }

    /// Emits the lines still waiting for a time (a log with no dated line).
    mutating func finish(into sink: RecordSink) throws {
        for record in waiting { try sink.emit(record) }
        waiting.removeAll()
    }
}
