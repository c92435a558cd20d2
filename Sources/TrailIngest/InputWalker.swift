import Foundation

/// One file to ingest, found from the paths given on the command line.
public struct InputFile: Equatable, Sendable {
    /// The path to show and store: as given, or under the directory as given.
    public var displayPath: String
    /// The path to open (a spooled temporary file for standard input).
    public var openPath: String
    public var isStandardInput: Bool
}

/// A path that could not be turned into files to read.
public struct InputProblem: Equatable, Sendable {
    public var path: String
    public var message: String
    /// False for what is passed over on purpose (a symbolic link loop): said, but not an input error.
    public var isError = true
}

/// Expands command-line paths into files: directories recursively (in name order, symlink loops
/// broken), `-` for standard input.
public enum InputWalker {
    public static func expand(_ paths: [String]) -> (files: [InputFile], problems: [InputProblem]) {
        var files: [InputFile] = []
        var problems: [InputProblem] = []
        for path in paths {
            if path == "-" {
                files.append(InputFile(displayPath: "-", openPath: "-", isStandardInput: true))
                continue
            }
            var status = stat()
            guard stat(path, &status) == 0 else {
                problems.append(InputProblem(path: path, message: String(cString: strerror(errno))))
                continue
            }
            if (status.st_mode & S_IFMT) == S_IFDIR {
                var visited: Set<[UInt64]> = []
                walk(directory: path, visited: &visited, files: &files, problems: &problems)
            } else {
                files.append(InputFile(displayPath: path, openPath: path, isStandardInput: false))
            }
        }
        return (files, problems)
    }

    private static func walk(directory: String, visited: inout Set<[UInt64]>, files: inout [InputFile], problems: inout [InputProblem]) {
        var status = stat()
        guard stat(directory, &status) == 0 else { return }
        let identity = [UInt64(status.st_dev), UInt64(status.st_ino)]
        guard visited.insert(identity).inserted else {
            problems.append(InputProblem(path: directory, message: "a symbolic link back to a directory being read (a loop); not followed", isError: false))
            return
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        } catch {
            problems.append(InputProblem(path: directory, message: "cannot list directory: \(error.localizedDescription)"))
            return
        }
        for name in names {
            let child = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            guard stat(child, &status) == 0 else {
                problems.append(InputProblem(path: child, message: String(cString: strerror(errno))))
                continue
            }
            switch status.st_mode & S_IFMT {
            case S_IFDIR: walk(directory: child, visited: &visited, files: &files, problems: &problems)
            case S_IFREG: files.append(InputFile(displayPath: child, openPath: child, isStandardInput: false))
            default: continue
            }
        }
        visited.remove(identity)
    }
}
