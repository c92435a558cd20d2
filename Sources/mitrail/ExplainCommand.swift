import ArgumentParser
import TrailExplain
import TrailModel
import TrailReport
import TrailStore

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain every permission failure: diagnosis, episode over time, evidence and the fix.",
        discussion: """
            Every failure in the evidence (IMDS errors, Storage 401/403, ARM and Batch errors, task and node errors, \
            stuck nodes) gets a diagnosis from the catalog, using the account and pool configuration and the role \
            assignments in force at its time. Failures with the same diagnosis, identity and scope form an episode: \
            first and last failure, count, and the change that ended it. When the evidence cannot decide, the failure \
            is unexplained and the missing evidence is named.

            Exit status: 0 every failure explained; 1 some failures are unexplained; 2 usage errors.
            """
    )

    enum Format: String, CaseIterable, ExpressibleByArgument { case text, json, markdown }

    @OptionGroup var store: ReadStoreOptions

    @OptionGroup var window: TimeWindowOptions

    @Option(name: .long, help: ArgumentHelp("Only failures of this identity (name, resource, client or principal ID).", valueName: "identity"))
    var identity: String?

    @Option(name: .long, help: ArgumentHelp("Only failures on this pool.", valueName: "pool"))
    var pool: String?

    @Option(name: .long, help: "Output format.")
    var format: Format = .text

    func run() throws {
        let evidence = try store.openReader()
        let explanation = try Explainer.explain(store: evidence, filter: ExplainFilter(
            since: try window.sinceTime(), until: try window.untilTime(), identity: identity, pool: pool))
        switch format {
        case .text: print(ExplainOutput.text(explanation), terminator: "")
        case .json: print(ExplainOutput.json(explanation).rendered())
        case .markdown: print(ExplainOutput.markdown(explanation), terminator: "")
        }
        if !explanation.unexplained.isEmpty { throw ExitStatus.findings }
    }
}
