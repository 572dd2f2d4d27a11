import Foundation

/// The command line of inplaced-fuzz.
struct FuzzOptions {
    var inputs: UInt64?
    var seconds: Double?
    var seed: UInt64 = 1
    var outputDirectory = "fuzz-out"
    var corpus: [String] = []
    var noDefaultCorpus = false
    var hangSeconds = 1.0
    var abortSeconds = 60.0
    var progressEvery: UInt64 = 100_000
    var maxBytes = 64 << 10
    var largeEvery = 500
    var dump: UInt64?
    var replay: [String] = []

    static let usage = """
        Usage: inplaced-fuzz [--inputs N] [--seconds S] [--seed N] [--out DIR] [--corpus DIR]... [--no-default-corpus]
                             [--hang-seconds S] [--abort-seconds S] [--progress N] [--max-bytes N] [--large-every N]
               inplaced-fuzz --seed N --dump INDEX       write input INDEX of the run to DIR and print its recipe
               inplaced-fuzz --replay FILE...            load files as the fuzzer does and print the outcome

        Runs ManifestLoader in-process on generated inputs until N inputs or S seconds (default
        1,000,000 inputs). Seeds: the built-in pods, Tests/PodAPITests/Fixtures, examples and
        ../shared/corpus (those that exist, relative to the working directory) and every --corpus.
        An input that crashes the process is written to DIR/crash-<seed>-<n>.<ext> by the signal
        handler; one that takes more than --hang-seconds (1) of CPU to DIR/hang-<seed>-<n>.<ext>; one
        still running after --abort-seconds (60) is written there too and the run stops.
        Inputs are at most --max-bytes (65536) bytes, except one in --large-every (500; 0 for none)
        that may reach 1 MiB.
        Exit status: 0 clean, 1 findings (hangs, broken invariants), 2 usage, 3 aborted on a hang,
        and the signal's status on a crash.
        """

    static let defaultCorpus = ["Tests/PodAPITests/Fixtures", "examples", "../shared/corpus"]

    struct UsageError: Error, CustomStringConvertible {
        var description: String
    }

    static func parse(_ arguments: [String]) throws -> FuzzOptions {
        var o = FuzzOptions()
        var i = 0
        func value(_ name: String) throws -> String {
            i += 1
            guard i < arguments.count else { throw UsageError(description: "\(name) needs a value") }
            return arguments[i]
        }
        func number<T: LosslessStringConvertible>(_ name: String, _: T.Type) throws -> T {
            let text = try value(name).replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "_", with: "")
            guard let n = T(text) else { throw UsageError(description: "\(name): not a number: \(text)") }
            return n
        }
        while i < arguments.count {
            switch arguments[i] {
            case "--inputs": o.inputs = try number("--inputs", UInt64.self)
            case "--seconds": o.seconds = try number("--seconds", Double.self)
            case "--seed": o.seed = try number("--seed", UInt64.self)
            case "--out": o.outputDirectory = try value("--out")
            case "--corpus": o.corpus.append(try value("--corpus"))
            case "--no-default-corpus": o.noDefaultCorpus = true
            case "--hang-seconds": o.hangSeconds = try number("--hang-seconds", Double.self)
            case "--abort-seconds": o.abortSeconds = try number("--abort-seconds", Double.self)
            case "--progress": o.progressEvery = try number("--progress", UInt64.self)
            case "--max-bytes": o.maxBytes = try number("--max-bytes", Int.self)
            case "--large-every": o.largeEvery = try number("--large-every", Int.self)
            case "--dump": o.dump = try number("--dump", UInt64.self)
            case "--replay":
                o.replay = Array(arguments[(i + 1)...])
                i = arguments.count
                continue
            case "-h", "--help": throw UsageError(description: usage)
            default: throw UsageError(description: "unknown argument \(arguments[i])\n\n\(usage)")
            }
            i += 1
        }
        if o.inputs == nil && o.seconds == nil { o.inputs = 1_000_000 }
        return o
    }

    /// The corpus directories that exist.
    var corpusDirectories: [String] {
        ((noDefaultCorpus ? [] : Self.defaultCorpus) + corpus).filter {
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: $0, isDirectory: &isDirectory) && isDirectory.boolValue
        }
    }
}
