import ArgumentParser
import Foundation
import TrailCollect
import TrailIngest
import TrailModel

struct CollectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect",
        abstract: "Gather the evidence of an incident with your own Azure CLI into one bundle to ingest.",
        discussion: """
            Runs `az` (logged in as you: run `az login` first) one command at a time to read the Batch account, its pools (and the nodes of the pools and the tasks of the jobs you name), the user-assigned identities they reference, role assignments at the autostorage account, Key Vault, resource group and subscription, the role definitions and group members those assignments need, the Activity Log since --since, and with --workspace the StorageBlobLogs and managed identity sign-ins of that Log Analytics workspace. docs/COLLECT.md lists every command and why, so that you can review them before you run this.

            Nothing it runs prints a key or a token, and every file goes through the same redactor as `mitrail ingest` before it is written. The bundle's manifest.json records each command's exact arguments, start and end time (UTC), exit status and, for a failure, the error and the role you would need; `mitrail ingest` takes each file's observed-at time from it. A command that fails does not stop the others: the summary says what is missing and why.

            `az batch account login` sets your Azure CLI's default Batch account (as it always does).

            Exit status: 0 everything was collected; 1 the bundle was written but some commands failed; 2 usage errors, no `az` on the PATH, not logged in, or the bundle cannot be written.

            Example: mitrail collect --account mybatch --resource-group rg-batch --pool pool-1 --job job-7 --since 2d -o incident.zip && mitrail ingest incident.zip && mitrail explain
            """
    )

    @Option(name: .long, help: ArgumentHelp("The Batch account name.", valueName: "name"))
    var account: String

    @Option(name: [.customShort("g"), .long], help: ArgumentHelp("The Batch account's resource group.", valueName: "name"))
    var resourceGroup: String

    @Option(name: .long, help: ArgumentHelp("Subscription name or ID (default: your Azure CLI's current one).", valueName: "id"))
    var subscription: String?

    @Option(name: .long, help: ArgumentHelp("A pool whose configuration and nodes to read (repeat for more; default: every pool, no nodes).", valueName: "id"))
    var pool: [String] = []

    @Option(name: .long, help: ArgumentHelp("A job whose tasks to read (repeat for more).", valueName: "id"))
    var job: [String] = []

    @Option(name: .long, help: ArgumentHelp("How far back the Activity Log and workspace logs reach: 7d, 36h, 1d12h, 90m, or a UTC time (at most 90 days).", valueName: "duration|time"))
    var since = "7d"

    @Option(name: .long, help: ArgumentHelp("Log Analytics workspace ID (a GUID) with StorageBlobLogs and AADManagedIdentitySignInLogs.", valueName: "id"))
    var workspace: String?

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("The bundle to write (a .zip; it must not exist). Default: mitrail-collect-ACCOUNT.zip.", valueName: "path"))
    var output: String?

    @Option(name: .long, help: ArgumentHelp("Seconds one az command may take before it is stopped.", valueName: "seconds"))
    var timeout = 300

    func validate() throws {
        guard CollectSince.parse(since) != nil else {
            throw ValidationError("Please give --since as a duration (7d, 36h, 1d12h, 90m; at most 90 days) or a UTC time such as 2026-03-04T10:00:00Z.")
        }
        if let workspace, UUID(uuidString: workspace) == nil {
            throw ValidationError("Please give --workspace as the workspace ID, a GUID (\"Workspace ID\" on the workspace's Overview page), not its name.")
        }
        guard timeout > 0 else { throw ValidationError("Please give --timeout as a number of seconds above 0.") }
        for (option, values) in [("--account", [account]), ("--resource-group", [resourceGroup]), ("--pool", pool), ("--job", job)] {
            if values.contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                throw ValidationError("Please give \(option) a value.")
            }
        }
    }

    func run() throws {
        guard let azure = AzureCLI.locate() else {
            throw CollectError.azureCLIMissing(path: ProcessInfo.processInfo.environment["PATH"] ?? "")
        }
        let window = CollectSince.parse(since) ?? .duration(days: 7, hours: 0, minutes: 0)
        let request = CollectorManifest.CollectRequest(account: account, resourceGroup: resourceGroup, subscription: subscription,
                                                       pools: pool, jobs: job, since: window.description, workspace: workspace)
        let options = CollectOptions(request: request, since: window, timeout: TimeInterval(timeout), toolVersion: ToolVersion.current)
        let reporter = CollectReporter()
        let outcome = try Collector(azure: azure, options: options, observer: reporter)
            .collect(to: output ?? "mitrail-collect-\(account).zip")
        reporter.printSummary(outcome)
        throw ExitCode(outcome.failures.isEmpty ? 0 : ExitStatus.findings.rawValue)
    }
}
