import ArgumentParser
import TrailIngest
import TrailModel
import TrailReport

struct FormatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "formats",
        abstract: "List the evidence formats mitrail reads, with a command that produces each."
    )

    @Option(name: .long, help: "Output format.")
    var format: TabularFormat = .table

    func run() throws {
        let rows: [[TabularValue]] = FormatRegistry.all.map { [.text($0.id), .text($0.title), .text($0.example)] }
        let writer = TabularWriter(format: format) { print($0, terminator: "") }
        writer.begin(columns: ["id", "reads", "example"])
        rows.forEach(writer.add(row:))
        writer.end()
    }
}
