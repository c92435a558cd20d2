import Foundation

/// A fake `az` (a bash script) for `mitrail collect` tests: put its folder first on the PATH. It answers each
/// command line that matches a rule with the rule's output, error text and exit status, answers anything else
/// with exit status 97, and records every command line it was asked, argument by argument.
struct FakeAzureCLI {
    /// One expected command line and its answer.
    struct Rule {
        /// A bash glob pattern matched against the arguments after `az`, joined by single spaces.
        var pattern: String
        var standardOutput: String = ""
        var standardError: String = ""
        var status: Int32 = 0
        /// Seconds to wait before answering (for timeouts).
        var delay: Int = 0
    }

    /// The folder to put first on the PATH.
    let binFolder: URL
    let folder: URL
    static let unexpectedStatus: Int32 = 97

    init(rules: [Rule], in folder: URL) throws {
        self.folder = folder
        binFolder = folder.appendingPathComponent("bin")
        let rulesFolder = folder.appendingPathComponent("rules")
        try FileManager.default.createDirectory(at: binFolder, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: rulesFolder, withIntermediateDirectories: true)
        for (index, rule) in rules.enumerated() {
            let base = rulesFolder.appendingPathComponent("\(index)")
            try rule.pattern.write(to: base.appendingPathExtension("pattern"), atomically: true, encoding: .utf8)
            try rule.standardOutput.write(to: base.appendingPathExtension("stdout"), atomically: true, encoding: .utf8)
            try rule.standardError.write(to: base.appendingPathExtension("stderr"), atomically: true, encoding: .utf8)
            try "\(rule.status)".write(to: base.appendingPathExtension("status"), atomically: true, encoding: .utf8)
            try "\(rule.delay)".write(to: base.appendingPathExtension("delay"), atomically: true, encoding: .utf8)
        }
        let script = """
            #!/bin/bash
            # Fake Azure CLI for mitrail's tests: answers the command lines listed in ../rules, records every call.
            here="\(folder.path)"
            for argument in "$@"; do printf '%s\\037' "$argument"; done >> "$here/invocations"
            printf '\\036' >> "$here/invocations"
            line="$*"
            index=0
            while [ -f "$here/rules/$index.pattern" ]; do
                pattern="$(cat "$here/rules/$index.pattern")"
                if [[ "$line" == $pattern ]]; then
                    sleep "$(cat "$here/rules/$index.delay")"
                    cat "$here/rules/$index.stdout"
                    cat "$here/rules/$index.stderr" >&2
                    exit "$(cat "$here/rules/$index.status")"
                fi
                index=$((index + 1))
            done
            echo "fake az: no answer for: $line" >&2
            exit \(Self.unexpectedStatus)
            """
        let executable = binFolder.appendingPathComponent("az")
        try script.write(to: executable, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: executable.path)
    }

    /// Every command line the fake was asked, `az` first, in order.
    func invocations() throws -> [[String]] {
        let url = folder.appendingPathComponent("invocations")
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        let text = try String(contentsOf: url, encoding: .utf8)
        return text.split(separator: "\u{1E}", omittingEmptySubsequences: true).map { call in
            ["az"] + call.split(separator: "\u{1F}", omittingEmptySubsequences: false).dropLast().map(String.init)
        }
    }

    /// The environment that puts the fake first on the PATH (and keeps the user's Azure CLI settings out).
    var environment: [String: String] {
        ["PATH": binFolder.path + ":/usr/bin:/bin", "AZURE_CONFIG_DIR": folder.appendingPathComponent("azure-config").path]
    }
}
