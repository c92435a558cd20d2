import Foundation
import TrailModel
import TrailStore

/// Hands records to the store. Which of them are duplicates of records already stored is the writer's call
/// (`SourceWriter`): within one source, every record is stored.
final class StoreSink: RecordSink {
    let writer: SourceWriter
    let context: ParseContext

    init(writer: SourceWriter, context: ParseContext) {
        self.writer = writer
        self.context = context
    }

    func emit(_ record: EvidenceRecord) throws {
        do {
            try writer.add(StorableRecord(record: record))
        } catch {
            throw StoreWriteFailure(underlying: error)
        }
    }

    func reject(_ reject: RejectedRecord) throws {
        do {
            try writer.add(reject)
        } catch {
            throw StoreWriteFailure(underlying: error)
        }
    }
}

/// The store could not take a record: unlike a parser's trouble, this stops the ingest.
struct StoreWriteFailure: Error {
    let underlying: Error
}
